package ui

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/backsight/backsight/internal/app"
	"github.com/backsight/backsight/internal/auth"
	"github.com/backsight/backsight/internal/formats"
	"github.com/backsight/backsight/internal/procore"
	"github.com/backsight/backsight/internal/samplefiles"
	"github.com/backsight/backsight/internal/transfer"
)

const wait = 20 * time.Second

// TestWorkflow drives the whole workflow against the in-process sandbox:
// log in through the scripted browser, import a file from Procore, check
// the table, export it back as a new version and log out with the icon.
func TestWorkflow(t *testing.T) {
	u, demo := newDemoSession(t, app.Options{LogDir: t.TempDir()}, Options{Demo: true})
	importControlPoints(t, u)
	exportNewVersion(t, u, demo)
	exportNothing(t, u)
	exportReopensFolder(t, u)
	newFolder(t, u)
	importSample(t, u)
	logoutWithIcon(t, u)
}

func login(t *testing.T, u *UI) {
	onUI(func() {
		if got := u.status.procore.Text; got != "Procore: logged out" {
			t.Errorf("status before login = %q", got)
		}
		test.Tap(u.status.procore) // logged out: opens the panel and logs in
		if u.procore == nil {
			t.Fatal("the Procore icon did not open the Procore panel")
		}
	})
	eventually(t, wait, "the login", func() bool {
		return u.app.State() == auth.StateLoggedIn && u.status.procore.Text != "Procore: logged out"
	})
	onUI(func() {
		if u.status.procore.Icon != procoreOnIcon {
			t.Error("the Procore icon is not in colour after login")
		}
	})
	// The login brings no name (/me names the user only within a company):
	// it is asked for afterwards and replaces the login.
	eventually(t, wait, "the user's name in the status bar", func() bool {
		return u.status.procore.Text == "Sam Surveyor"
	})
	// The demo links the project by ids only; the panel names them.
	eventually(t, wait, "the linked project's names", func() bool {
		return strings.Contains(u.procore.link.Text, "Demo Construction Co. › ")
	})
	onUI(func() {
		if got := u.procore.who.Text; got != "Sam Surveyor" {
			t.Errorf("panel says logged in as %q", got)
		}
		u.procore.win.Close()
	})
}

func importControlPoints(t *testing.T, u *UI) {
	onUI(func() { u.showImport(importProcore) })
	w := u.importWin
	b := w.browser
	eventually(t, wait, "the demo project's root folder", func() bool {
		n := b.nodes[rootID]
		return b.projectID != 0 && n != nil && n.loaded
	})

	// 01 Survey holds folders only: the list says so instead of staying
	// blank, and a filter that matches nothing says that.
	openFolder(t, b, "01 Survey")
	eventually(t, wait, "the no-files note", func() bool {
		return b.noFiles.Visible() && strings.Contains(b.noFiles.Text, "No files")
	})
	openFolder(t, b, "01 Survey", "Control")
	onUI(func() {
		if b.noFiles.Visible() {
			t.Errorf("no-files note %q shown over a folder with files", b.noFiles.Text)
		}
		b.filter.SetText("zzz")
		if !b.noFiles.Visible() || !strings.Contains(b.noFiles.Text, `"zzz"`) {
			t.Errorf("filter matching nothing: note %q", b.noFiles.Text)
		}
		b.filter.SetText("")
		if !b.mark("control_points.csv") {
			t.Fatalf("control_points.csv not listed; files: %v", labelsUnder(b.fileTable))
		}
		for i := range b.shown {
			f := &b.shown[i]
			if got := fileCell(f, 3, false); f.Name == "control_points.csv" && got != "3" {
				t.Errorf("version column = %q, want 3", got)
			}
		}
		test.Tap(w.download)
	})

	eventually(t, wait, "the import step", func() bool {
		return w.step != nil && w.step.doImport != nil && !w.step.doImport.Disabled()
	})
	onUI(func() {
		if got := w.step.format.Selected; !strings.HasPrefix(got, "Delimited") {
			t.Errorf("detected format = %q", got)
		}
		if len(w.step.rows) == 0 {
			t.Error("the preview shows no rows")
		}
		test.Tap(w.step.doImport)
	})

	eventually(t, wait, "the summary", func() bool { return w.step == nil && len(w.results) == 1 })
	onUI(func() {
		r := w.results[0]
		if r.err != nil || r.res.Counts.Points == 0 {
			t.Fatalf("import result = %+v, %v", r.res, r.err)
		}
	})
	eventually(t, wait, "the points in the table", func() bool {
		return u.main.points.rows > 0 && len(u.main.sourceItems) == 1
	})
	onUI(func() {
		src := u.main.sourceItems[0]
		if src.Procore == nil || src.Procore.Version != 3 {
			t.Errorf("source = %+v, want Procore version 3", src)
		}
		p, ok := u.main.points.point(0)
		if !ok || p.ID == "" {
			t.Errorf("first row = %+v, %v", p, ok)
		}
		w.win.Close()
	})
}

// openFolder opens the folders of path one after the other and selects the
// last one.
func openFolder(t *testing.T, b *procoreBrowser, path ...string) {
	id := rootID
	for _, name := range path {
		var next string
		onUI(func() {
			for _, c := range b.nodes[id].children {
				if b.nodes[c].name == name {
					next = c
				}
			}
		})
		if next == "" {
			t.Fatalf("folder %q not found", name)
		}
		onUI(func() {
			b.tree.OpenBranch(next)
			b.tree.Select(next)
		})
		eventually(t, wait, "folder "+name, func() bool { return b.nodes[next].loaded })
		id = next
	}
}

// exportNothing exports a code no point has: the project's export refuses
// it and the window says why in a sentence, not as an error.
func exportNothing(t *testing.T, u *UI) {
	w := u.exportWin
	onUI(func() {
		w.toProcore.SetChecked(false)
		w.data.SetSelected(dataChoices[2])
		w.codes.SetText("NO-SUCH-CODE")
		test.Tap(w.export)
	})
	eventually(t, wait, "the nothing-to-export message", func() bool {
		top := w.win.Canvas().Overlays().Top()
		return top != nil && strings.Contains(labelsUnder(top), "There is nothing to export")
	})
	onUI(func() {
		if text := labelsUnder(w.win.Canvas().Overlays().Top()); strings.Contains(text, "Details") {
			t.Errorf("nothing to export shown as an error: %q", text)
		}
		w.win.Canvas().Overlays().Top().Hide()
		w.win.Canvas().Overlays().Remove(w.win.Canvas().Overlays().Top())
		w.data.SetSelected(dataChoices[0])
	})
}

// exportReopensFolder closes the export window and opens it again: it comes
// back to the folder of the last upload.
func exportReopensFolder(t *testing.T, u *UI) {
	eventually(t, wait, "the remembered folder", func() bool {
		return u.proj.Settings().FolderPath == "01 Survey/Control"
	})
	onUI(func() {
		u.exportWin.win.Close()
		u.showExport(true)
	})
	w := u.exportWin
	eventually(t, wait, "the export window back at 01 Survey/Control", func() bool {
		n := w.browser.folder()
		return n != nil && strings.Join(n.path, "/") == "01 Survey/Control"
	})
}

// newFolder makes a folder inside the selected one with New Folder, typing
// the name and pressing Enter. Making it again fails at Procore: the error
// shows over the form, which still holds the name, with the cursor at its
// end.
func newFolder(t *testing.T, u *UI) {
	const name = "Fieldwork 2026"
	w := u.exportWin
	typeNewFolder(t, w, name)
	onUI(func() {
		if text := labelsUnder(w.win.Canvas().Overlays().Top()); !strings.Contains(text,
			"Documents › 01 Survey › Control") {
			t.Errorf("the form does not say where the folder goes: %q", text)
		}
		folderEntry(w).TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
		if overlayButton(w.win, "Create") != nil {
			t.Error("Enter did not submit the New Folder form")
		}
	})
	eventually(t, wait, "the new folder in the tree", func() bool {
		for _, n := range w.browser.nodes {
			if strings.Join(n.path, "/") == "01 Survey/Control/"+name {
				return true
			}
		}
		return false
	})

	typeNewFolder(t, w, name)
	onUI(func() { folderEntry(w).TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) })
	eventually(t, wait, "the error about the taken name", func() bool {
		return len(w.win.Canvas().Overlays().List()) == 2
	})
	onUI(func() {
		w.win.Canvas().Overlays().Top().Hide() // closes the error
		e := folderEntry(w)
		if e == nil || e.Text != name {
			t.Fatalf("after the error the form is gone or lost the name (entry %v)", e)
		}
		test.Type(e, " B")
		if e.Text != name+" B" {
			t.Errorf("typing after the error gave %q, want the name with \" B\" at its end", e.Text)
		}
		test.Tap(overlayButton(w.win, "Cancel"))
	})
}

// typeNewFolder opens the New Folder form of w and types name into it.
func typeNewFolder(t *testing.T, w *exportWindow, name string) {
	onUI(func() { test.Tap(findButton(w.win.Content(), "New Folder")) })
	eventually(t, wait, "the New Folder form", func() bool {
		return overlayButton(w.win, "Create") != nil
	})
	onUI(func() { test.Type(folderEntry(w), name) })
}

// folderEntry is the name entry of the New Folder form on top of w, or nil.
func folderEntry(w *exportWindow) *widget.Entry {
	var e *widget.Entry
	if top := w.win.Canvas().Overlays().Top(); top != nil {
		walk(top, func(o fyne.CanvasObject) bool {
			e, _ = o.(*widget.Entry)
			return e == nil
		})
	}

	return e
}

func exportNewVersion(t *testing.T, u *UI, demo *app.Demo) {
	onUI(func() { u.showExport(true) })
	w := u.exportWin
	b := w.browser
	eventually(t, wait, "the export folder tree", func() bool {
		n := b.nodes[rootID]
		return b.projectID != 0 && n != nil && n.loaded && len(w.sources) == 1
	})
	openFolder(t, b, "01 Survey", "Control")

	onUI(func() {
		w.format.SetSelectedIndex(formatIndex(formats.CSV))
		w.name.SetText("control_points.csv")
		test.Tap(w.export)
	})
	eventually(t, wait, "the export result", func() bool {
		return strings.Contains(w.result.Text, "Uploaded")
	})
	onUI(func() {
		if !strings.Contains(w.result.Text, "version 4") ||
			!strings.Contains(w.result.Text, "Saved 5 points to") {
			t.Errorf("result = %q, want version 4", w.result.Text)
		}
	})

	// The project's data came from version 3 and Procore now holds 4: the
	// next export asks before uploading over it.
	onUI(func() { test.Tap(w.export) })
	eventually(t, wait, "the question about the newer version", func() bool {
		return overlayButton(w.win, "Yes") != nil
	})
	onUI(func() {
		if text := labelsUnder(w.win.Canvas().Overlays().Top()); !strings.Contains(text, "version 4") {
			t.Errorf("question = %q", text)
		}
		test.Tap(overlayButton(w.win, "Yes"))
	})
	// The data did not change, so the export holds the same bytes as
	// version 4: nothing is uploaded (no spurious version 5).
	eventually(t, wait, "the second export", func() bool {
		return strings.Contains(w.result.Text,
			"Unchanged: control_points.csv is already version 4 in Procore.")
	})

	// The main window marks the source: Procore has a newer version.
	onUI(u.checkNewer)
	eventually(t, wait, "the newer-version mark", func() bool {
		return len(u.main.sourceItems) == 1 && u.main.sourceItems[0].NewerVersion == 4
	})

	// A folder whose name is taken in the target is refused, with a reason.
	local := filepath.Join(t.TempDir(), "Control")
	if err := os.MkdirAll(local, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(local, "note.txt"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	openFolder(t, b, "01 Survey")
	onUI(func() { w.uploadFolder(local) })
	eventually(t, wait, "the refusal", func() bool {
		return w.result.Text == "The folder was not uploaded."
	})
	onUI(func() {
		text := labelsUnder(w.win.Canvas().Overlays().Top())
		if !strings.Contains(text, "already exists") {
			t.Errorf("refusal dialog = %q", text)
		}
	})
	openFolder(t, b, "01 Survey", "Control")

	// Procore itself says so too.
	c, err := u.app.Client()
	if err != nil {
		t.Fatal(err)
	}
	c = c.WithCompany(demo.CompanyID)
	scope := procore.ProjectScope(demo.ProjectID)
	var folderID int64
	onUI(func() { folderID = b.folder().id })
	f, _, err := c.Folders.Get(context.Background(), scope, folderID, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range f.Files {
		if file.Name == "control_points.csv" {
			full, _, err := c.Files.Get(context.Background(), scope, file.ID, false)
			if err != nil {
				t.Fatal(err)
			}
			// The unchanged second export made no version 5. (Only the
			// number is printed: the version's URL carries a signature.)
			if v := full.LatestVersion(); v == nil || v.Number != 4 {
				t.Errorf("latest version on Procore: %v, want number 4", versionNumber(v))
			}
			return
		}
	}
	t.Error("control_points.csv is gone from Procore")
}

// logoutWithIcon logs out with the status bar icon while a download runs:
// the confirmation names the download, and logging out cancels it rather
// than letting it go on for a user who has left.
func logoutWithIcon(t *testing.T, u *UI) {
	var h *transfer.Handle
	var jobErr error
	onUI(func() {
		h = u.runJob("Downloading 1 file", func(ctx context.Context, _ *transfer.Progress) error {
			<-ctx.Done()
			return ctx.Err()
		}, func(err error) { jobErr = err })
		u.trackProcore(h)

		test.Tap(u.status.procore) // logged in: asks first
		top := u.win.Canvas().Overlays().Top()
		if top == nil {
			t.Fatal("no confirmation before logging out")
		}
		if text := labelsUnder(top); !strings.Contains(text,
			"Logging out cancels the transfer in progress (Downloading 1 file).") {
			t.Errorf("the confirmation %q does not say the download stops", text)
		}
		test.Tap(overlayButton(u.win, "Yes"))
	})
	eventually(t, wait, "the logout", func() bool {
		return u.app.State() == auth.StateLoggedOut && u.status.procore.Text == "Procore: logged out"
	})
	select {
	case <-h.Done():
	case <-time.After(wait):
		t.Fatal("the download goes on after the logout")
	}
	eventually(t, wait, "the cancelled download", func() bool {
		return errCanceled(jobErr) && len(u.runningProcoreJobs()) == 0
	})
	onUI(func() {
		if u.status.procore.Icon != procoreOffIcon {
			t.Error("the Procore icon is not grey after logout")
		}
		// The export window forgets the company, the project and the
		// folders alike.
		if u.exportWin == nil {
			t.Fatal("the export window is not open at the logout")
		}
		b := u.exportWin.browser
		if b.company.Selected != "" || b.project.Selected != "" || len(b.project.Options) > 0 {
			t.Errorf("after logout the export window shows company %q, project %q (of %d)",
				b.company.Selected, b.project.Selected, len(b.project.Options))
		}
		if b.projectID != 0 || len(b.childIDs("")) > 0 {
			t.Errorf("after logout the export window keeps project %d and its folders",
				b.projectID)
		}
	})
}

// importSample downloads and imports a real survey file that the demo seed
// took from ../shared/samples, when that folder exists.
func importSample(t *testing.T, u *UI) {
	const name = "pnezd_topo0_charlotte_crlf.asc"
	dir, ok := samplefiles.Dir()
	if _, err := os.Stat(filepath.Join(dir, name)); !ok || err != nil {
		t.Log("shared samples not found at ../shared/samples: sample import left out")
		return
	}

	var before int
	onUI(func() {
		before = u.main.points.rows
		u.showImport(importProcore)
	})
	w := u.importWin
	b := w.browser
	eventually(t, wait, "the root folder", func() bool {
		n := b.nodes[rootID]
		return b.projectID != 0 && n != nil && n.loaded
	})
	openFolder(t, b, "01 Survey", "Topo")
	onUI(func() {
		if !b.mark(name) {
			t.Fatalf("%s not listed", name)
		}
		test.Tap(w.download)
	})
	eventually(t, wait, "the sample's import step", func() bool {
		return w.step != nil && !w.step.doImport.Disabled()
	})
	onUI(func() {
		if !strings.Contains(w.step.counts.Text, "1,311 points") {
			t.Errorf("preview counts = %q", w.step.counts.Text)
		}
		w.step.dup.SetSelected("rename")
		test.Tap(w.step.doImport)
	})
	eventually(t, wait, "the sample's summary", func() bool { return w.step == nil && len(w.results) == 1 })
	onUI(func() {
		if r := w.results[0]; r.err != nil || r.res.Counts.Points != 1311 {
			t.Errorf("sample import = %+v, %v; want 1,311 points", r.res, r.err)
		}
		w.win.Close()
	})
	eventually(t, wait, "the sample in the table", func() bool {
		return u.main.points.rows == before+1311
	})
}

// versionNumber is v's number, or "none".
func versionNumber(v *procore.FileVersion) string {
	if v == nil {
		return "none"
	}

	return strconv.Itoa(v.Number)
}
