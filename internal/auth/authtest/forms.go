package authtest

import (
	"html"
	"strings"
)

// Form is one HTML <form> with the controls a scripted browser fills in.
type Form struct {
	// Action is the action attribute, unresolved; empty means the page URL.
	Action string
	// Method is "GET" or "POST".
	Method string
	// ID is the form's id attribute.
	ID string
	// Inputs are the <input>, <select> and <textarea> controls, in order.
	Inputs []Input
	// Buttons are the submit controls: <button> without type, or with
	// type="submit", and <input type="submit">.
	Buttons []Input
}

// Input is one form control.
type Input struct {
	Name, Type, Value, ID string
	// Text is a button's text content.
	Text string
	// Checked is set for checkboxes and radio buttons with "checked".
	Checked bool
}

// Element is one element found by [FindByID].
type Element struct {
	Tag   string
	Attrs map[string]string
	// Text is the element's text content with tags removed and entities
	// decoded.
	Text string
}

// tag is one start or end tag of the scanned page.
type tag struct {
	name  string
	end   bool
	attrs map[string]string
	start int // offset of '<'
	after int // offset after '>'
}

// ParseForms returns the forms of page. It understands the plain HTML that
// login and consent pages use; it is a test helper, not a general parser.
func ParseForms(page string) []Form {
	var forms []Form
	var cur *Form
	tags := scanTags(page)

	for i, t := range tags {
		switch {
		case t.name == "form" && !t.end:
			method := strings.ToUpper(t.attrs["method"])
			if method != "POST" {
				method = "GET"
			}
			forms = append(forms, Form{Action: t.attrs["action"], Method: method, ID: t.attrs["id"]})
			cur = &forms[len(forms)-1]
		case t.name == "form" && t.end:
			cur = nil
		case cur == nil || t.end:
		case t.name == "input":
			in := Input{
				Name: t.attrs["name"], Type: strings.ToLower(t.attrs["type"]),
				Value: t.attrs["value"], ID: t.attrs["id"],
			}
			if in.Type == "" {
				in.Type = "text"
			}
			_, in.Checked = t.attrs["checked"]
			if in.Type == "submit" {
				cur.Buttons = append(cur.Buttons, in)
			} else {
				cur.Inputs = append(cur.Inputs, in)
			}
		case t.name == "button":
			typ := strings.ToLower(t.attrs["type"])
			if typ == "" || typ == "submit" {
				cur.Buttons = append(cur.Buttons, Input{
					Name: t.attrs["name"], Type: "submit", Value: t.attrs["value"],
					ID: t.attrs["id"], Text: textUntil(page, tags, i),
				})
			}
		case t.name == "textarea":
			cur.Inputs = append(cur.Inputs, Input{
				Name: t.attrs["name"], Type: "textarea", ID: t.attrs["id"],
				Value: textUntil(page, tags, i),
			})
		case t.name == "select":
			cur.Inputs = append(cur.Inputs, Input{
				Name: t.attrs["name"], Type: "select", ID: t.attrs["id"],
				Value: selectedOption(tags, i),
			})
		}
	}

	return forms
}

// FindByID returns the element of page whose id attribute is id.
func FindByID(page, id string) (Element, bool) {
	tags := scanTags(page)
	for i, t := range tags {
		if !t.end && t.attrs["id"] == id {
			el := Element{Tag: t.name, Attrs: t.attrs}
			if t.name == "input" {
				el.Text = t.attrs["value"]
			} else {
				el.Text = textUntil(page, tags, i)
			}

			return el, true
		}
	}

	return Element{}, false
}

// textUntil returns the decoded text between tags[i] and its end tag.
func textUntil(page string, tags []tag, i int) string {
	depth := 0
	for _, t := range tags[i+1:] {
		if t.name != tags[i].name {
			continue
		}
		if !t.end {
			depth++
			continue
		}
		if depth > 0 {
			depth--
			continue
		}

		return cleanText(page[tags[i].after:t.start])
	}

	return ""
}

func cleanText(s string) string {
	var b strings.Builder
	for _, t := range scanText(s) {
		b.WriteString(t)
	}

	return strings.Join(strings.Fields(html.UnescapeString(b.String())), " ")
}

// scanText returns the text pieces of s between tags.
func scanText(s string) []string {
	var out []string
	for {
		lt := strings.IndexByte(s, '<')
		if lt < 0 {
			return append(out, s)
		}
		out = append(out, s[:lt])

		gt := strings.IndexByte(s[lt:], '>')
		if gt < 0 {
			return out
		}
		s = s[lt+gt+1:]
	}
}

func selectedOption(tags []tag, i int) string {
	first, found := "", false
	for _, t := range tags[i+1:] {
		if t.name == "select" && t.end {
			break
		}
		if t.name != "option" || t.end {
			continue
		}
		if _, ok := t.attrs["selected"]; ok {
			return t.attrs["value"]
		}
		if !found {
			first, found = t.attrs["value"], true
		}
	}

	return first
}

// scanTags finds the tags of page, skipping comments, doctype and the
// contents of <script> and <style>.
func scanTags(page string) []tag {
	var tags []tag
	pos := 0
	for pos < len(page) {
		lt := strings.IndexByte(page[pos:], '<')
		if lt < 0 {
			break
		}
		lt += pos

		rest := page[lt:]
		switch {
		case strings.HasPrefix(rest, "<!--"):
			end := strings.Index(rest, "-->")
			if end < 0 {
				return tags
			}
			pos = lt + end + 3
			continue
		case strings.HasPrefix(rest, "<!"), strings.HasPrefix(rest, "<?"):
			end := strings.IndexByte(rest, '>')
			if end < 0 {
				return tags
			}
			pos = lt + end + 1
			continue
		}

		t, after, ok := parseTag(page, lt)
		if !ok {
			pos = lt + 1
			continue
		}
		tags = append(tags, t)
		pos = after

		if !t.end && (t.name == "script" || t.name == "style") {
			end := strings.Index(strings.ToLower(page[pos:]), "</"+t.name)
			if end < 0 {
				return tags
			}
			pos += end
		}
	}

	return tags
}

// parseTag parses the tag starting at page[lt] == '<'.
func parseTag(page string, lt int) (tag, int, bool) {
	i := lt + 1
	t := tag{start: lt, attrs: map[string]string{}}
	if i < len(page) && page[i] == '/' {
		t.end = true
		i++
	}

	nameStart := i
	for i < len(page) && isNameByte(page[i]) {
		i++
	}
	if i == nameStart {
		return tag{}, 0, false
	}
	t.name = strings.ToLower(page[nameStart:i])

	for i < len(page) {
		for i < len(page) && isSpace(page[i]) {
			i++
		}
		if i >= len(page) {
			return tag{}, 0, false
		}

		switch page[i] {
		case '>':
			t.after = i + 1
			return t, i + 1, true
		case '/':
			i++
			continue
		}

		keyStart := i
		for i < len(page) && !isSpace(page[i]) && page[i] != '=' && page[i] != '>' &&
			page[i] != '/' {
			i++
		}
		key := strings.ToLower(page[keyStart:i])
		for i < len(page) && isSpace(page[i]) {
			i++
		}

		val := ""
		if i < len(page) && page[i] == '=' {
			i++
			for i < len(page) && isSpace(page[i]) {
				i++
			}
			val, i = attrValue(page, i)
		}
		if key != "" {
			if _, dup := t.attrs[key]; !dup {
				t.attrs[key] = html.UnescapeString(val)
			}
		}
	}

	return tag{}, 0, false
}

func attrValue(page string, i int) (string, int) {
	if i >= len(page) {
		return "", i
	}

	if q := page[i]; q == '"' || q == '\'' {
		end := strings.IndexByte(page[i+1:], q)
		if end < 0 {
			return page[i+1:], len(page)
		}

		return page[i+1 : i+1+end], i + end + 2
	}

	start := i
	for i < len(page) && !isSpace(page[i]) && page[i] != '>' {
		i++
	}

	return page[start:i], i
}

func isNameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-'
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'
}
