package landxml

import (
	"bytes"
	"fmt"
	"io"
)

// guard fails a read when the input runs longer than maxRun bytes without
// a '<', which bounds every token the XML decoder buffers.
type guard struct {
	r   io.Reader
	run int
	err error
}

func (g *guard) Read(p []byte) (int, error) {
	if g.err != nil {
		return 0, g.err
	}

	n, err := g.r.Read(p)
	if i := bytes.LastIndexByte(p[:n], '<'); i >= 0 {
		g.run = n - i - 1
	} else {
		g.run += n
	}

	if g.run > maxRun {
		g.err = fmt.Errorf("text, attribute or comment longer than %d bytes", maxRun)

		return n, g.err
	}

	return n, err
}
