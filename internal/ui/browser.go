package ui

import (
	"slices"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/backsight/backsight/internal/app"
	"github.com/backsight/backsight/internal/procore"
)

// rootID is the tree node of a Procore project's root folder.
const rootID = "root"

// folderNode is one folder of the browser's tree.
type folderNode struct {
	id       int64
	name     string
	path     []string // names from the root down, the root itself excluded
	children []string // tree ids of the subfolders; nil until loaded
	files    []procore.File
	loaded   bool
	loading  bool
}

// procoreBrowser is the Procore part of the import and export windows:
// company and project pickers, a folder tree that loads a folder when it is
// opened, and (for the import window) a file list with a filter.
type procoreBrowser struct {
	u   *UI
	win fyne.Window

	companies  []procore.Company
	projects   []procore.Project
	company    *widget.Select
	project    *widget.Select
	companyID  int64
	projectID  int64
	refresh    *widget.Button
	status     *widget.Label
	tree       *widget.Tree
	nodes      map[string]*folderNode
	selected   string // tree id of the folder shown in the file list
	gen        int    // bumped when the project changes; stale loads are dropped
	withFiles  bool
	onFolder   func(*folderNode)
	filter     *widget.Entry
	fileTable  *widget.Table
	noFiles    *widget.Label  // says why the file list is empty
	shown      []procore.File // files of the selected folder passing the filter
	marked     map[int64]bool
	onProjects func()
	// reopen holds the names of the folders still to open on the way to
	// the folder remembered for the project; reopenAt is the tree id
	// whose listing the walk waits for.
	reopen   []string
	reopenAt string
}

// fileColumns are the columns of the file list with their widths; the Name
// column (nameColumn) takes more when the list is wider than their sum. Size,
// Version and Last update fit their widest text ("1023.9 MB", the bold
// header, a date and time); the sum fits the list of the import window at
// its opening size, without a horizontal scroll bar.
var fileColumns = []struct {
	title string
	width float32
}{
	{"", 28}, {"Name", 190}, {"Size", 88}, {"Version", 70}, {"Last update", 130}, {"By", 110},
}

const nameColumn = 1

func newProcoreBrowser(u *UI, win fyne.Window, withFiles bool) *procoreBrowser {
	b := &procoreBrowser{u: u, win: win, withFiles: withFiles, marked: map[int64]bool{}}
	b.nodes = map[string]*folderNode{}

	b.company = widget.NewSelect(nil, func(string) { b.companyPicked() })
	b.company.PlaceHolder = "Company"
	b.project = widget.NewSelect(nil, func(string) { b.projectPicked() })
	b.project.PlaceHolder = "Project"
	b.refresh = widget.NewButtonWithIcon("Refresh", theme.ViewRefreshIcon(), b.reload)
	b.status = widget.NewLabel("")
	b.status.Wrapping = fyne.TextWrapWord

	b.tree = widget.NewTree(b.childIDs, b.isBranch, b.createNode, b.updateNode)
	b.tree.OnBranchOpened = func(id string) { b.load(id) }
	b.tree.OnSelected = func(id string) { b.folderSelected(id) }

	b.filter = widget.NewEntry()
	b.filter.SetPlaceHolder("Filter by name")
	b.filter.OnChanged = func(string) { b.applyFilter() }
	b.fileTable = widget.NewTable(
		func() (int, int) { return len(b.shown), len(fileColumns) },
		func() fyne.CanvasObject {
			// A long name ends in "…" instead of running into the next column.
			l := widget.NewLabel("0000000000")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		b.updateFileCell,
	)
	b.fileTable.ShowHeaderRow = true
	b.fileTable.CreateHeader = func() fyne.CanvasObject { return widget.NewLabel("Last update") }
	b.fileTable.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		o.(*widget.Label).TextStyle.Bold = true
		o.(*widget.Label).SetText(fileColumns[id.Col].title)
	}
	for i, c := range fileColumns {
		b.fileTable.SetColumnWidth(i, c.width)
	}
	b.fileTable.OnSelected = func(id widget.TableCellID) {
		if id.Row >= 0 && id.Row < len(b.shown) {
			f := b.shown[id.Row]
			b.marked[f.ID] = !b.marked[f.ID]
			b.fileTable.Refresh()
		}
		b.fileTable.UnselectAll()
	}

	return b
}

// pickers is the row with the company and project pickers and Refresh.
func (b *procoreBrowser) pickers() fyne.CanvasObject {
	return container.NewBorder(nil, b.status, nil, b.refresh,
		container.NewGridWithColumns(2, b.company, b.project))
}

// stackedPickers is pickers for a narrow pane: the company and the project
// on rows of their own, each as wide as the pane, with Refresh beside the
// project.
func (b *procoreBrowser) stackedPickers() fyne.CanvasObject {
	return container.NewBorder(nil, b.status, nil, nil, container.New(layout.NewFormLayout(),
		widget.NewLabel("Company"), b.company,
		widget.NewLabel("Project"), container.NewBorder(nil, nil, nil, b.refresh, b.project)))
}

// files is the file list with its filter box.
func (b *procoreBrowser) files() fyne.CanvasObject {
	b.noFiles = widget.NewLabel("")
	b.noFiles.Alignment = fyne.TextAlignCenter
	b.noFiles.Hide()

	return container.NewBorder(b.filter, nil, nil, nil,
		container.New(fileListLayout{b}, b.fileTable, b.noFiles))
}

// start loads the companies, choosing the ones remembered for the project.
// Call on the UI goroutine.
func (b *procoreBrowser) start() {
	u := b.u
	c, err := u.app.Client()
	if err != nil {
		b.status.SetText(loginHint(err))
		return
	}
	if u.app.RequireLogin() != nil {
		b.status.SetText("Log in to Procore to browse its documents (click the Procore mark " +
			"in the status bar).")
		return
	}
	b.status.SetText("Loading companies…")
	go func() {
		var list []procore.Company
		var err error
		for co, e := range c.Companies.All(u.ctx) {
			if e != nil {
				err = e
				break
			}
			list = append(list, co)
		}
		do(func() { b.companiesLoaded(list, err) })
	}()
}

func loginHint(err error) string {
	return "Procore is not available: " + firstLine(app.UserMessage(err))
}

func (b *procoreBrowser) companiesLoaded(list []procore.Company, err error) {
	if err != nil {
		b.status.SetText("")
		b.u.showErrorIn(b.win, "Procore companies", err)
		return
	}
	b.companies = list
	names := make([]string, len(list))
	for i, c := range list {
		names[i] = c.Name
	}
	b.company.Options = names
	b.status.SetText("")

	want := b.remembered().CompanyID
	if want == 0 {
		want = b.u.app.Config().Procore.CompanyID
	}
	for i, c := range list {
		if c.ID == want || (want == 0 && i == 0) {
			b.company.SetSelectedIndex(i)
			return
		}
	}
	if len(list) > 0 {
		b.company.SetSelectedIndex(0)
	}
}

func (b *procoreBrowser) remembered() ProjectSettings {
	if b.u.proj == nil {
		return ProjectSettings{}
	}

	return b.u.proj.Settings()
}

func (b *procoreBrowser) companyPicked() {
	i := b.company.SelectedIndex()
	if i < 0 || i >= len(b.companies) {
		return
	}
	b.companyID = b.companies[i].ID
	b.projectID = 0
	b.project.ClearSelected()
	b.project.Options = nil
	b.clearTree()

	c, err := b.u.app.Client()
	if err != nil {
		b.u.showErrorIn(b.win, "Procore projects", err)
		return
	}
	companyID := b.companyID
	b.status.SetText("Loading projects…")
	go func() {
		var list []procore.Project
		var err error
		for p, e := range c.Projects.All(b.u.ctx, companyID, procore.ProjectListOptions{}) {
			if e != nil {
				err = e
				break
			}
			list = append(list, p)
		}
		do(func() { b.projectsLoaded(companyID, list, err) })
	}()
}

func (b *procoreBrowser) projectsLoaded(companyID int64, list []procore.Project, err error) {
	if companyID != b.companyID {
		return
	}
	b.status.SetText("")
	if err != nil {
		b.u.showErrorIn(b.win, "Procore projects", err)
		return
	}
	b.projects = list
	names := make([]string, len(list))
	for i, p := range list {
		names[i] = p.Name
	}
	b.project.Options = names

	want := b.remembered().ProjectID
	if want == 0 {
		want = b.u.app.Config().Procore.ProjectID
	}
	for i, p := range list {
		if p.ID == want {
			b.project.SetSelectedIndex(i)
			return
		}
	}
	if len(list) > 0 {
		b.project.SetSelectedIndex(0)
	}
}

func (b *procoreBrowser) projectPicked() {
	i := b.project.SelectedIndex()
	if i < 0 || i >= len(b.projects) {
		return
	}
	if b.projectID == b.projects[i].ID && len(b.nodes) > 0 {
		return
	}
	b.projectID = b.projects[i].ID
	b.rememberLink()
	b.clearTree()
	b.reopen, b.reopenAt = nil, ""
	if s := b.remembered(); !b.withFiles && s.ProjectID == b.projectID && s.FolderPath != "" {
		b.reopen, b.reopenAt = strings.Split(s.FolderPath, "/"), rootID
	}
	b.load(rootID)
	if b.onProjects != nil {
		b.onProjects()
	}
}

// rememberLink stores the chosen company and project in the project's
// settings, so the pickers come back to them next time.
func (b *procoreBrowser) rememberLink() {
	proj := b.u.proj
	if proj == nil {
		return
	}
	s := proj.Settings()
	if s.CompanyID == b.companyID && s.ProjectID == b.projectID &&
		s.CompanyName == b.company.Selected && s.ProjectName == b.project.Selected {
		return
	}
	companyID, projectID := b.companyID, b.projectID
	companyName, projectName := b.company.Selected, b.project.Selected
	b.u.updateSettings(proj, func(now *ProjectSettings) {
		if now.CompanyID != companyID || now.ProjectID != projectID {
			now.FolderID, now.FolderPath = 0, ""
		}
		now.CompanyID, now.ProjectID = companyID, projectID
		now.CompanyName, now.ProjectName = companyName, projectName
	})
}

// reset forgets the companies, the projects and the folders after a login
// or logout: both pickers and the tree start again empty.
func (b *procoreBrowser) reset() {
	b.companies, b.projects = nil, nil
	b.companyID, b.projectID = 0, 0
	b.company.Options = nil
	b.company.ClearSelected()
	b.project.Options = nil
	b.project.ClearSelected()
	b.reopen, b.reopenAt = nil, ""
	b.clearTree()
}

func (b *procoreBrowser) clearTree() {
	b.gen++
	b.nodes = map[string]*folderNode{rootID: {name: "Documents"}}
	b.selected = ""
	b.shown = nil
	b.marked = map[int64]bool{}
	b.tree.UnselectAll()
	b.tree.Refresh()
	b.applyFilter() // no folder: an empty list without a note
}

// reload forgets every loaded folder and loads the root again.
func (b *procoreBrowser) reload() {
	if b.projectID == 0 {
		b.start()
		return
	}
	b.clearTree()
	b.load(rootID)
}

func (b *procoreBrowser) scope() procore.Scope { return procore.ProjectScope(b.projectID) }

// load fetches one folder with its direct children, off the UI goroutine.
func (b *procoreBrowser) load(id string) {
	n := b.nodes[id]
	if n == nil || n.loaded || n.loading || b.projectID == 0 {
		return
	}
	t, err := b.u.app.Transferer(b.companyID)
	if err != nil {
		b.u.showErrorIn(b.win, "Procore folder", err)
		return
	}
	n.loading = true
	gen, scope, folderID := b.gen, b.scope(), n.id
	b.status.SetText("Loading " + n.name + "…")
	go func() {
		f, err := t.ListFolder(b.u.ctx, scope, folderID)
		do(func() { b.loaded(gen, id, f, err) })
	}()
}

func (b *procoreBrowser) loaded(gen int, id string, f *procore.Folder, err error) {
	if gen != b.gen {
		return
	}
	n := b.nodes[id]
	n.loading = false
	b.status.SetText("")
	if err != nil {
		b.u.showErrorIn(b.win, "Procore folder", err)
		return
	}
	b.setFolder(id, f)
	if id == rootID {
		b.tree.OpenBranch(rootID)
		b.tree.Select(rootID)
	}
	if b.selected == id {
		b.folderSelected(id)
	}
	if id == b.reopenAt {
		b.continueReopen(id)
	}
}

// continueReopen goes one folder further down the remembered path from the
// folder id, whose listing has arrived: it opens the next folder and waits
// for its listing, or selects it when it is the last. A folder no longer
// there ends the walk where it is.
func (b *procoreBrowser) continueReopen(id string) {
	n := b.nodes[id]
	if n == nil || len(b.reopen) == 0 {
		b.reopen, b.reopenAt = nil, ""
		return
	}
	for _, cid := range n.children {
		c := b.nodes[cid]
		if c == nil || c.name != b.reopen[0] {
			continue
		}
		b.reopen = b.reopen[1:]
		if len(b.reopen) == 0 {
			b.reopenAt = ""
			b.tree.Select(cid)
			b.tree.ScrollTo(cid)
			return
		}
		b.reopenAt = cid
		b.tree.OpenBranch(cid)
		if c.loaded {
			b.continueReopen(cid)
		} else {
			b.load(cid)
		}
		return
	}
	b.reopen, b.reopenAt = nil, ""
}

// setFolder stores a folder listing in the tree. Call on the UI goroutine.
func (b *procoreBrowser) setFolder(id string, f *procore.Folder) {
	n := b.nodes[id]
	n.id, n.loaded = f.ID, true
	n.children = n.children[:0]
	for _, sub := range f.Folders {
		if sub.IsDeleted || sub.IsRecycleBin {
			continue
		}
		cid := strconv.FormatInt(sub.ID, 10)
		if _, ok := b.nodes[cid]; !ok {
			path := append(slices.Clip(n.path), sub.Name)
			b.nodes[cid] = &folderNode{id: sub.ID, name: sub.Name, path: path}
		}
		n.children = append(n.children, cid)
	}
	n.files = n.files[:0]
	for _, file := range f.Files {
		if !file.IsDeleted {
			n.files = append(n.files, file)
		}
	}
	slices.SortFunc(n.files, func(a, c procore.File) int { return strings.Compare(a.Name, c.Name) })
	b.tree.Refresh()
}

func (b *procoreBrowser) childIDs(id string) []string {
	if id == "" {
		if _, ok := b.nodes[rootID]; ok && b.projectID != 0 {
			return []string{rootID}
		}
		return nil
	}
	if n := b.nodes[id]; n != nil {
		return n.children
	}

	return nil
}

func (b *procoreBrowser) isBranch(id string) bool {
	if id == "" {
		return true
	}
	n := b.nodes[id]

	return n != nil && (!n.loaded || len(n.children) > 0)
}

func (b *procoreBrowser) createNode(bool) fyne.CanvasObject {
	return container.NewHBox(widget.NewIcon(theme.FolderIcon()), widget.NewLabel("folder name"))
}

func (b *procoreBrowser) updateNode(id string, _ bool, o fyne.CanvasObject) {
	label := o.(*fyne.Container).Objects[1].(*widget.Label)
	if n := b.nodes[id]; n != nil {
		label.SetText(n.name)
	}
}

func (b *procoreBrowser) folderSelected(id string) {
	b.selected = id
	n := b.nodes[id]
	if n == nil {
		return
	}
	if !n.loaded {
		b.load(id)
	}
	b.applyFilter()
	if b.onFolder != nil {
		b.onFolder(n)
	}
}

// folder returns the selected folder, or nil.
func (b *procoreBrowser) folder() *folderNode {
	return b.nodes[b.selected]
}

// reloadFolder lists folder folderID again (after an upload or a new
// folder).
func (b *procoreBrowser) reloadFolder(folderID int64) {
	for tid, n := range b.nodes {
		if n.id == folderID && n.loaded {
			n.loaded = false
			b.load(tid)
		}
	}
}
