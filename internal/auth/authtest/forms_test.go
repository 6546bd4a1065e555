package authtest

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseForms(t *testing.T) {
	t.Parallel()

	tests := []struct {
		name string
		page string
		want []Form
	}{
		{
			name: "login form",
			page: `<!DOCTYPE html><html><head><style>form{color:red}</style>
<script>var s = "<form action='/evil'>";</script></head><body>
<!-- <form action="/commented"> -->
<form method="post" action="/session?x=1&amp;y=2" id=login>
  <input type="hidden" name="return_to" value="/oauth/authorize?a=1&amp;b=2">
  <label>E-mail <input type=email name="login" id="login-field"></label>
  <input type="password" name='password' autocomplete="current-password"/>
  <input type="checkbox" name="remember" checked>
  <button>Log in</button>
</form></body></html>`,
			want: []Form{{
				Action: "/session?x=1&y=2", Method: "POST", ID: "login",
				Inputs: []Input{
					{Name: "return_to", Type: "hidden", Value: "/oauth/authorize?a=1&b=2"},
					{Name: "login", Type: "email", ID: "login-field"},
					{Name: "password", Type: "password"},
					{Name: "remember", Type: "checkbox", Checked: true},
				},
				Buttons: []Input{{Type: "submit", Text: "Log in"}},
			}},
		},
		{
			name: "consent with two buttons and a get form",
			page: `<FORM ACTION="/oauth/authorize" METHOD="POST">
<input name=client_id value=abc>
<select name="scope"><option value="a">A</option><option value="b" selected>B</option></select>
<textarea name="note">hello &amp; bye</textarea>
<button type="submit" name="decision" value="approve">Allow <b>Backsight</b></button>
<button type="submit" name="decision" value="deny">Deny</button>
<button type="button" name="help">Help</button>
<input type="submit" name="other" value="Cancel">
</FORM><form action="/search"><input name=q></form>`,
			want: []Form{
				{
					Action: "/oauth/authorize", Method: "POST",
					Inputs: []Input{
						{Name: "client_id", Type: "text", Value: "abc"},
						{Name: "scope", Type: "select", Value: "b"},
						{Name: "note", Type: "textarea", Value: "hello & bye"},
					},
					Buttons: []Input{
						{Name: "decision", Type: "submit", Value: "approve", Text: "Allow Backsight"},
						{Name: "decision", Type: "submit", Value: "deny", Text: "Deny"},
						{Name: "other", Type: "submit", Value: "Cancel"},
					},
				},
				{Method: "GET", Action: "/search", Inputs: []Input{{Name: "q", Type: "text"}}},
			},
		},
		{name: "no form", page: `<p>Signed in</p>`},
		{name: "broken tag", page: `<form action="/x"><input name="a" value="unterminated`,
			want: []Form{{Action: "/x", Method: "GET"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			if diff := cmp.Diff(tt.want, ParseForms(tt.page)); diff != "" {
				t.Errorf("forms (-want +got):\n%s", diff)
			}
		})
	}
}

func TestFindByID(t *testing.T) {
	t.Parallel()

	page := `<html><body><h1>Code</h1>
<div id="wrap"><div>nested</div><code id="code"> abc&amp;123 </code></div>
<input id="copy" value="xyz"></body></html>`

	el, ok := FindByID(page, "code")
	if !ok || el.Tag != "code" || el.Text != "abc&123" {
		t.Errorf("code = %+v, %v", el, ok)
	}

	el, ok = FindByID(page, "wrap")
	if !ok || el.Text != "nested abc&123" {
		t.Errorf("wrap = %+v, %v", el, ok)
	}

	el, ok = FindByID(page, "copy")
	if !ok || el.Text != "xyz" {
		t.Errorf("copy = %+v, %v", el, ok)
	}

	if _, ok := FindByID(page, "missing"); ok {
		t.Error("found a missing id")
	}
}

func TestPickButton(t *testing.T) {
	t.Parallel()

	buttons := []Input{
		{Name: "decision", Value: "deny", Text: "Deny"},
		{Name: "decision", Value: "approve", Text: "Authorize"},
	}

	b := &Browser{}
	if got, _ := b.pick(buttons); got.Value != "approve" {
		t.Errorf("approve picked %+v", got)
	}

	b.Deny = true
	if got, _ := b.pick(buttons); got.Value != "deny" {
		t.Errorf("deny picked %+v", got)
	}
}
