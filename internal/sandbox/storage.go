package sandbox

import (
	"net/http"
)

// storageHandler serves the storage listener: presigned downloads, single-part
// POST uploads and segment PUTs. Any request with an Authorization header is
// refused, as S3 refuses a second authentication mechanism.
func (s *Server) storageHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /s3/pro-core.com/blobs/{blob}", s.handleBlobGet)
	mux.HandleFunc("HEAD /s3/pro-core.com/blobs/{blob}", s.handleBlobGet)
	mux.HandleFunc("POST /s3/pro-core.com", s.handleFormUpload)
	mux.HandleFunc("PUT /s3/pro-core.com/uploads/{uuid}/parts/{n}", s.handleSegmentPut)
	mux.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) {
		s3Error(w, http.StatusNotFound, "NoSuchKey", "The specified key does not exist.")
	})

	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &recorder{ResponseWriter: w, status: http.StatusOK}
		defer func() {
			// A dropped connection (fault) counts as status 0, as on the API host.
			p := recover()
			if p == http.ErrAbortHandler {
				rec.status = 0
			}

			s.stats.add("storage "+storageEndpoint(r), rec.status)
			if p != nil {
				panic(p)
			}
		}()

		s.sleepLatency(r)

		if r.Header.Get("Authorization") != "" {
			s3Error(rec, http.StatusBadRequest, "InvalidArgument",
				"Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, "+
					"Signature query string parameter or the Authorization header should be specified")

			return
		}

		mux.ServeHTTP(rec, r)
	})
}

func storageEndpoint(r *http.Request) string {
	if r.Pattern == "" {
		return r.Method + " (refused)"
	}

	return r.Pattern
}
