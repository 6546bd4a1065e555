package ui

import (
	_ "embed"
	"fmt"

	"fyne.io/fyne/v2"
)

// procoreMark draws the Procore status mark: a rounded square holding a
// "P"-like shape, in fill colour.
func procoreMark(name, fill string) fyne.Resource {
	svg := fmt.Sprintf(`<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">
<rect x="2" y="2" width="60" height="60" rx="12" ry="12" fill="%s"/>
<path d="M20 50 V14 H35 a11 11 0 0 1 0 22 H28 V50 Z M28 21 V29 H34 a4 4 0 0 0 0 -8 Z"
 fill="#ffffff" fill-rule="evenodd"/>
</svg>`, fill)

	return fyne.NewStaticResource(name, []byte(svg))
}

// Icons of the status bar: the Procore mark in colour while logged in and in
// grey while logged out.
var (
	procoreOnIcon  = procoreMark("procore-on.svg", "#f47e42")
	procoreOffIcon = procoreMark("procore-off.svg", "#9e9e9e")
)

// appIcon is the window icon: a survey backsight (a target with cross hairs).
var appIcon = fyne.NewStaticResource("backsight.svg", []byte(
	`<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">
<rect x="2" y="2" width="60" height="60" rx="12" ry="12" fill="#1f4e79"/>
<circle cx="32" cy="32" r="18" fill="none" stroke="#ffffff" stroke-width="4"/>
<path d="M32 8 V56 M8 32 H56" stroke="#ffcc33" stroke-width="3"/>
</svg>`))

// windowIcon is appIcon drawn at 256 pixels, for the window manager. Fyne
// draws an SVG window icon at twice that size and keeps the 1 MB bitmap in
// its cache for as long as the app runs; a PNG is decoded, handed over and
// dropped. Made from appIcon's SVG with ImageMagick:
//
//	convert -background none -density 384 backsight.svg -resize 256x256 \
//		-strip PNG32:backsight-256.png
//
//go:embed backsight-256.png
var windowIconPNG []byte

var windowIcon = fyne.NewStaticResource("backsight-256.png", windowIconPNG)
