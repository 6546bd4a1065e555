// Package textline splits the text survey formats into lines the way an
// editor shows them, whatever the line ends.
package textline

import "bytes"

// Split is a bufio.SplitFunc that ends a line at LF, CRLF or a lone CR, so
// that files from old instruments (CR only) read as many lines. Each break
// counts as one line and empty lines are returned, so line numbers match
// what an editor shows. The last line needs no break.
func Split(data []byte, atEOF bool) (advance int, token []byte, err error) {
	if atEOF && len(data) == 0 {
		return 0, nil, nil
	}

	i := bytes.IndexAny(data, "\r\n")
	if i < 0 {
		if atEOF {
			return len(data), data, nil
		}

		return 0, nil, nil
	}

	if data[i] == '\n' {
		return i + 1, data[:i], nil
	}

	// A CR: look at the next byte to see whether it is CRLF.
	if i+1 < len(data) {
		if data[i+1] == '\n' {
			return i + 2, data[:i], nil
		}

		return i + 1, data[:i], nil
	}

	if atEOF {
		return i + 1, data[:i], nil
	}

	// The CR is the last byte buffered: ask for more to see whether LF follows.
	return 0, nil, nil
}
