package ui

import (
	"bytes"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"fyne.io/fyne/v2/theme"
	"github.com/go-text/typesetting/font"
)

// TestTextHasGlyphs checks that every character in the UI's own strings is
// in the bundled text font. The app is built without Fyne's 4 MB colour emoji
// font (make's no_emoji tag, to keep the app's memory down), so a character
// outside the bundled font would be drawn from whatever the system has, or as
// a box.
func TestTextHasGlyphs(t *testing.T) {
	fonts := map[string]*font.Font{}
	for name, res := range map[string][]byte{
		"regular": theme.DefaultTextFont().Content(),
		"bold":    theme.DefaultTextBoldFont().Content(),
		"italic":  theme.DefaultTextItalicFont().Content(),
	} {
		face, err := font.ParseTTF(bytes.NewReader(res))
		if err != nil {
			t.Fatalf("parse the bundled %s font: %v", name, err)
		}
		fonts[name] = face.Font
	}

	for _, dir := range []string{".", "plan", "../app"} {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, file := range files {
			if strings.HasSuffix(file, "_test.go") {
				continue
			}
			checkGlyphs(t, file, fonts)
		}
	}
}

func checkGlyphs(t *testing.T, file string, fonts map[string]*font.Font) {
	t.Helper()

	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, file, nil, 0)
	if err != nil {
		t.Fatal(err)
	}

	ast.Inspect(f, func(n ast.Node) bool {
		lit, ok := n.(*ast.BasicLit)
		if !ok || lit.Kind != token.STRING {
			return true
		}
		s, err := strconv.Unquote(lit.Value)
		if err != nil {
			return true
		}
		for _, r := range s {
			if r < 0x80 || !unicode.IsPrint(r) {
				continue
			}
			for name, face := range fonts {
				if _, ok := face.NominalGlyph(r); !ok {
					t.Errorf("%s: %q (%U) is not in the bundled %s font",
						fset.Position(lit.Pos()), r, r, name)
				}
			}
		}
		return true
	})
}
