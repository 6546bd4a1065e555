package sandbox

import "net/http"

// apiHandler routes the login and API host.
func (s *Server) apiHandler() http.Handler {
	mux := http.NewServeMux()
	s.methods = map[string][]string{}

	s.handle(mux, "GET /oauth/authorize", 0, s.handleAuthorize)
	s.handle(mux, "POST /oauth/authorize", 0, s.handleAuthorize)
	s.handle(mux, "POST /oauth/token", 0, s.handleToken)
	s.handle(mux, "GET /oauth/token/info", needAuth, s.handleTokenInfo)
	s.handle(mux, "POST /oauth/revoke", 0, s.handleRevoke)

	s.handle(mux, "GET /rest/v1.0/me", needAuth|svcCompany, s.handleMe)
	s.handle(mux, "GET /rest/v1.0/companies", needAuth|svcCompany, s.handleCompanies)
	s.handle(mux, "GET /rest/v1.0/projects", needAuth|needCompany, s.handleProjects)
	s.handle(mux, "GET /rest/v1.1/projects", needAuth|needCompany, s.handleProjects)
	s.handle(mux, "GET /rest/v1.0/projects/{id}", needAuth|needCompany, s.handleProject)
	s.handle(mux, "GET /rest/v1.0/companies/{company_id}/projects", needAuth|needCompany,
		s.handleCompanyProjects)

	for _, prefix := range []string{"/rest/v1.0", "/rest/v1.0/companies/{company_id}"} {
		s.documentRoutes(mux, prefix)
	}

	s.handle(mux, "GET /rest/v1.0/projects/{project_id}/documents", needAuth|needCompany, s.handleDocuments)
	s.handle(mux, "GET /rest/v1.0/companies/{company_id}/documents", needAuth|needCompany, s.handleDocuments)

	for _, v := range []string{"v1.0", "v1.1"} {
		for _, owner := range []string{"projects/{project_id}", "companies/{company_id}"} {
			base := "/rest/" + v + "/" + owner + "/uploads"
			s.handle(mux, "POST "+base, needAuth|needCompany, s.handleUploadCreate)
			s.handle(mux, "GET "+base+"/{uuid}", needAuth|needCompany, s.handleUploadShow)
			s.handle(mux, "PATCH "+base+"/{uuid}", needAuth|needCompany, s.handleUploadComplete)
		}
	}

	s.handle(mux, "POST /rest/v1.0/companies/{company_id}/files/{id}/send_email", needAuth|needCompany,
		s.handleSendEmail)
	s.handle(mux, "GET /fas/api/v5/files/{id}", needAuth, s.handleDownload)

	s.handleMethodNotAllowed(mux)
	mux.HandleFunc("/_sandbox/stats", s.handleStats)
	s.handle(mux, "/", 0, func(w http.ResponseWriter, _ *http.Request, _ *call) {
		notFound(w, "Route")
	})

	return mux
}

func (s *Server) documentRoutes(mux *http.ServeMux, p string) {
	f := needAuth | needCompany

	s.handle(mux, "GET "+p+"/folders", f, s.handleFolderShow)
	s.handle(mux, "GET "+p+"/folders/{id}", f, s.handleFolderShow)
	s.handle(mux, "POST "+p+"/folders", f, s.withEntity("folder", s.handleFolderCreate))
	s.handle(mux, "PATCH "+p+"/folders/{id}", f, s.withEntity("folder", s.handleFolderUpdate))
	s.handle(mux, "DELETE "+p+"/folders/{id}", f, s.handleFolderDelete)
	s.handle(mux, "POST "+p+"/files", f, s.withEntity("file", s.handleFileCreate))
	s.handle(mux, "GET "+p+"/files/{id}", f, s.handleFileShow)
	s.handle(mux, "PATCH "+p+"/files/{id}", f, s.withEntity("file", s.handleFileUpdate))
	s.handle(mux, "DELETE "+p+"/files/{id}", f, s.handleFileDelete)
	s.handle(mux, "POST "+p+"/file_versions", f, s.withEntity("file_version", s.handleVersionCreate))
	s.handle(mux, "GET "+p+"/file_versions/{id}", f, s.handleVersionShow)
}
