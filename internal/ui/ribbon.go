package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// ribbonButton is a large ribbon button: an icon above its label.
type ribbonButton struct {
	widget.BaseWidget

	Label   string
	Icon    fyne.Resource
	OnTap   func()
	hovered bool
	bg      *canvas.Rectangle
}

func newRibbonButton(label string, icon fyne.Resource, tap func()) *ribbonButton {
	b := &ribbonButton{Label: label, Icon: icon, OnTap: tap}
	b.ExtendBaseWidget(b)

	return b
}

// CreateRenderer implements fyne.Widget.
func (b *ribbonButton) CreateRenderer() fyne.WidgetRenderer {
	b.bg = canvas.NewRectangle(color.Transparent)
	b.bg.CornerRadius = theme.InputRadiusSize()
	img := canvas.NewImageFromResource(b.Icon)
	img.FillMode = canvas.ImageFillContain
	img.SetMinSize(fyne.NewSquareSize(32))
	text := widget.NewLabel(b.Label)
	text.Alignment = fyne.TextAlignCenter
	box := container.NewVBox(container.NewCenter(img), text)

	return widget.NewSimpleRenderer(container.NewStack(b.bg, container.NewPadded(box)))
}

// Tapped implements fyne.Tappable.
func (b *ribbonButton) Tapped(*fyne.PointEvent) {
	if b.OnTap != nil {
		b.OnTap()
	}
}

// MouseIn implements desktop.Hoverable.
func (b *ribbonButton) MouseIn(*desktop.MouseEvent) { b.setHover(true) }

// MouseMoved implements desktop.Hoverable.
func (b *ribbonButton) MouseMoved(*desktop.MouseEvent) {}

// MouseOut implements desktop.Hoverable.
func (b *ribbonButton) MouseOut() { b.setHover(false) }

func (b *ribbonButton) setHover(on bool) {
	b.hovered = on
	if b.bg == nil {
		return
	}
	b.bg.FillColor = color.Transparent
	if on {
		b.bg.FillColor = theme.Color(theme.ColorNameHover)
	}
	b.bg.Refresh()
}

// ribbonGroup lays buttons out side by side above the group's caption. The
// caption is plain text in the low-importance colour: an italic caption
// would be the app's only italic text, and each text style costs its own
// parsed fonts (about 3 MB of heap for as long as the app runs).
func ribbonGroup(caption string, buttons ...fyne.CanvasObject) fyne.CanvasObject {
	title := widget.NewLabelWithStyle(caption, fyne.TextAlignCenter, fyne.TextStyle{})
	title.Importance = widget.LowImportance

	return container.NewVBox(container.NewHBox(buttons...), title)
}

// ribbon is the Home tab: groups of large buttons, like a ribbon.
func (u *UI) ribbon() fyne.CanvasObject {
	importGroup := ribbonGroup("Import",
		newRibbonButton("Procore", procoreOnIcon, func() { u.showImport(importProcore) }),
		newRibbonButton("Local File", theme.FileIcon(), func() { u.showImport(importLocal) }),
	)
	exportGroup := ribbonGroup("Export",
		newRibbonButton("Procore", procoreOnIcon, func() { u.showExport(true) }),
		newRibbonButton("Local File", theme.DocumentSaveIcon(), func() { u.showExport(false) }),
	)
	projectGroup := ribbonGroup("Project",
		newRibbonButton("Settings", theme.SettingsIcon(), u.showProjectSettings),
		newRibbonButton("Open", theme.FolderOpenIcon(), u.openProjectDialog),
	)
	servicesGroup := ribbonGroup("Services",
		newRibbonButton("Procore", theme.AccountIcon(), u.showProcorePanel),
	)

	bar := container.NewHBox(importGroup, widget.NewSeparator(), exportGroup,
		widget.NewSeparator(), projectGroup, widget.NewSeparator(), servicesGroup, layout.NewSpacer())
	tabs := container.NewAppTabs(container.NewTabItem("Home", bar))

	return tabs
}
