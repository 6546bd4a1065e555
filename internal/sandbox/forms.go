package sandbox

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
)

// entity is a decoded "root[key]" request body (folder[...], file[...],
// file_version[...]) from JSON, multipart or urlencoded form. A multipart
// root[data] part is streamed to a new blob, never held in memory.
type entity struct {
	f        map[string]string
	data     string // blob id of root[data], "" when absent
	dataSize int64
	dataName string
	dataType string
}

func (e *entity) get(k string) (string, bool) {
	v, ok := e.f[k]
	return v, ok
}

func (e *entity) boolean(k string) bool {
	v := strings.ToLower(e.f[k])
	return v == "true" || v == "1" || v == "on" || v == "yes"
}

// keep hands the streamed data blob over to a version: discard leaves it.
func (e *entity) keep() { e.data = "" }

// discard removes a streamed data blob that was not used.
func (s *Server) discard(e *entity) {
	if e != nil && e.data != "" {
		s.blobs.remove(e.data)
		e.data = ""
	}
}

// entityFunc is an apiFunc that also gets the request's decoded entity.
type entityFunc func(w http.ResponseWriter, r *http.Request, c *call, e *entity)

// withEntity reads the request's root[...] entity, answering 400 when it
// cannot, and runs fn with s.mu held. The body is read before the lock is
// taken; a data blob fn did not keep is removed after it is released.
func (s *Server) withEntity(root string, fn entityFunc) apiFunc {
	return func(w http.ResponseWriter, r *http.Request, c *call) {
		e, err := s.readEntity(r, root)
		if err != nil {
			badRequest(w, err.Error())
			return
		}

		defer s.discard(e)

		s.mu.Lock()
		defer s.mu.Unlock()

		fn(w, r, c, e)
	}
}

var errBody = errors.New("bad request body")

func (s *Server) readEntity(r *http.Request, root string) (*entity, error) {
	e := &entity{f: map[string]string{}}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))

	switch ct {
	case "application/json":
		return e, readJSONEntity(r, root, e)
	case "multipart/form-data":
		return e, s.readMultipartEntity(r, root, e)
	case "application/x-www-form-urlencoded", "":
		r.Body = http.MaxBytesReader(nil, r.Body, maxFormSize)
		if err := r.ParseForm(); err != nil {
			return e, fmt.Errorf("%w: %w", errBody, err)
		}

		for k, v := range r.PostForm {
			if key, ok := subKey(k, root); ok && len(v) > 0 {
				e.f[key] = v[0]
			}
		}

		return e, nil
	}

	return e, fmt.Errorf("%w: unsupported content type %q", errBody, ct)
}

// jsonProblem words a JSON type error for the client ("expected a JSON
// object") instead of naming the sandbox's Go types.
func jsonProblem(err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return errors.New("expected a JSON object")
	}

	return err
}

func subKey(k, root string) (string, bool) {
	if !strings.HasPrefix(k, root+"[") || !strings.HasSuffix(k, "]") {
		return "", false
	}

	return k[len(root)+1 : len(k)-1], true
}

func readJSONEntity(r *http.Request, root string, e *entity) error {
	var body map[string]json.RawMessage
	dec := json.NewDecoder(http.MaxBytesReader(nil, r.Body, maxFormSize))
	if err := dec.Decode(&body); err != nil {
		return fmt.Errorf("%w: %w", errBody, jsonProblem(err))
	}

	var obj map[string]any
	if raw, ok := body[root]; ok {
		d := json.NewDecoder(strings.NewReader(string(raw)))
		d.UseNumber()
		if err := d.Decode(&obj); err != nil {
			return fmt.Errorf("%w: %s: %w", errBody, root, jsonProblem(err))
		}
	}

	for k, v := range obj {
		switch x := v.(type) {
		case nil:
			e.f[k] = ""
		case string:
			e.f[k] = x
		case bool, json.Number:
			e.f[k] = fmt.Sprint(x)
		}
	}

	return nil
}

func (s *Server) readMultipartEntity(r *http.Request, root string, e *entity) error {
	mr, err := r.MultipartReader()
	if err != nil {
		return fmt.Errorf("%w: %w", errBody, err)
	}

	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return nil
		}

		if err != nil {
			s.discard(e)
			return fmt.Errorf("%w: %w", errBody, err)
		}

		key, ok := subKey(p.FormName(), root)
		if !ok {
			continue
		}

		if key == "data" {
			s.discard(e)

			id, h, err := s.blobs.put(p, -1)
			if err != nil {
				return fmt.Errorf("%w: data: %w", errBody, err)
			}

			e.data, e.dataSize, e.dataName = id, h.size, p.FileName()
			e.dataType = p.Header.Get("Content-Type")

			continue
		}

		b, err := io.ReadAll(io.LimitReader(p, maxFormSize))
		if err != nil {
			s.discard(e)
			return fmt.Errorf("%w: %w", errBody, err)
		}

		e.f[key] = string(b)
	}
}
