package procore

import (
	"bytes"
	"fmt"
	"mime/multipart"
)

// Form is a small multipart/form-data body of text fields, sent in order.
// Pass it as the body of [Client.NewRequest].
type Form struct {
	fields [][2]string
}

// Set appends the field key=value.
func (f *Form) Set(key, value string) *Form {
	f.fields = append(f.fields, [2]string{key, value})
	return f
}

// encode returns the body and its content type.
func (f *Form) encode() ([]byte, string, error) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for _, kv := range f.fields {
		if err := w.WriteField(kv[0], kv[1]); err != nil {
			return nil, "", fmt.Errorf("procore: encode form: %w", err)
		}
	}

	if err := w.Close(); err != nil {
		return nil, "", fmt.Errorf("procore: encode form: %w", err)
	}

	return buf.Bytes(), w.FormDataContentType(), nil
}
