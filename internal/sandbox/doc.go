// Package sandbox is a local stand-in for Procore's REST API, for tests, demos
// and training. It follows ../shared/reference/procore-api.md: a login and API
// host (OAuth 2.0, /rest/v1.0 and /rest/v1.1) and a separate storage host that
// plays the part of S3. It shares no code with the Procore client.
//
// # Go API
//
//	srv, err := sandbox.Start(ctx, sandbox.Options{Seed: "demo", SamplesDir: dir})
//	defer srv.Close()
//	srv.URL()         // "http://127.0.0.1:PORT": /oauth/* and /rest/* (one host)
//	srv.StorageURL()  // the storage listener (presigned uploads and downloads)
//
// Test helpers on *Server: AddUser(login, name, password) int64,
// AddCompany(name) int64, AddProject(companyID, name) int64,
// SetPermission(userID, projectID, Level), SetCompanyPermission(userID,
// companyID, Level), AddApp(clientID, secret, redirectURIs...),
// IssueToken(login, clientID) (access, refresh, err), AddFolder(projectID,
// path), FolderID(projectID, path), FileID(projectID, path), RootFolderID(projectID), AddFile(projectID,
// folderPath, name, r, byUserID), Stats() / ResetStats(), AddFault(FaultRule),
// ClearFaults(), SetFaultRate(p, seed), SetLatency(d), ExpireAccessTokens(),
// ExpireUploads(). ParseFaultRule reads the --fault flag syntax. GET
// /_sandbox/stats serves the same counts as JSON (DELETE resets them).
//
// The demo seed ("demo") creates company DemoCompanyID "Demo Construction Co.",
// projects DemoProjectID and DemoProject2ID with a survey folder tree and
// versioned files (real files from Options.SamplesDir when present, read at seed
// time), users DemoSurveyor (standard), DemoViewer (read only) and DemoAdmin
// (admin), all with DemoPassword, and the app DemoClientID / DemoClientSecret
// accepting loopback redirects on any port and urn:ietf:wg:oauth:2.0:oob.
//
// # Choices where Procore's behaviour is unconfirmed
//
// Clients must not depend on these; they are what the sandbox does.
//
//   - Errors on /rest: JSON {"errors": {"field": ["msg"]}, "message": "..."};
//     errors without a field use the key "base". 401 adds WWW-Authenticate.
//     OAuth endpoints answer RFC 6749 {"error", "error_description"}.
//
//   - A name taken in the folder (file create without unique_name, file or
//     folder rename or move, a second folder of one name under a parent)
//     answers 400 with errors.name ["has already been taken"]. Names compare
//     case-insensitively; files and folders have separate name spaces; names are
//     not trimmed, blank names are 400.
//
//   - file[unique_name] defaults to false; true renames to "stem (n).ext".
//
//   - Missing Procore-Company-Id answers 404 with Procore's documented message
//     "Missing Procore-Company-Id header! ...": the status is undocumented and
//     404 is what a client observed (procore-oss/ruby-sdk#40). A company the
//     user cannot see, or a project or company id that does not belong to the
//     header's company, is also 404. /me and /companies need the header only
//     with client-credentials (service account) tokens. Download links need
//     only the bearer token.
//
//   - DELETE of folders and files answers 200 with the object, is_deleted true.
//     Deleted items leave their folder's listing, are listed by the "Recycle
//     Bin" folder (is_recycle_bin true, a child of the root, shown in the root
//     listing) and stay readable by id; writes to them answer 404. The bin is
//     read only: creating in or moving into it (parent_id of the bin) answers
//     403 with a message saying so.
//
//   - file_versions are sorted by number ascending; numbers start at 1.
//     file_type is the lower-case extension without the dot ("csv").
//
//   - The root folder's name is the project (or company) name, so
//     name_with_path reads "Project/01 Survey/Control"; the root's parent_id is
//     null and it is read_only.
//
//   - Permissions: no access is 404; read only may read and download, writes are
//     403; standard may write; admin may also clear another user's checkout. A
//     file checked out (checked_out_until in the future) by another user answers
//     409 to new versions, renames, moves and deletes. Service accounts of
//     client-credentials tokens are admin everywhere.
//
//   - GET /rest/v1.0/me fills name only with company_id or project_id (null
//     otherwise), as the spec says.
//
//   - Pagination (companies, projects, documents): per_page defaults to 100
//     and is capped at 1000; Link carries first (page > 1), prev (page > 2),
//     next and last, and is absent when there is one page.
//     /companies/{id}/projects is not paginated.
//
//   - The documents index lists every folder and file of the scope except the
//     root, the recycle bin and deleted items included unless
//     filters[is_in_recycle_bin] says otherwise (the bin folder itself counts
//     as in the bin); filters[folder_id] is the
//     folder's subtree without the folder itself (for the recycle bin: the
//     deleted items, as its folder listing shows them); filters[search] is a
//     case-insensitive substring of the name. Default sort:
//     document_type_then_name (folders first).
//
//   - Tokens are opaque 64-hex strings. Refresh tokens never expire but die on
//     any use (even with a wrong client secret) and on revoke; the old access
//     token stays valid until it expires. Revoking either token kills both.
//
//   - Token endpoint: client_secret is always required (body or HTTP Basic).
//     PKCE is not documented by Procore; the sandbox still enforces
//     code_challenge (S256 or plain) when one was sent to /oauth/authorize.
//
//   - Authorize: after the password step a consent page posts a one-time
//     consent_ticket; the oob page shows the code in <code id="code">. Unknown
//     client or redirect URI shows an error page, other errors redirect with
//     error=...
//
//   - Rate limits: 100 requests per 10 s and 3600 per hour per access token
//     (per company for service tokens sending the header, per address without a
//     token), fixed windows; every admitted request counts whatever its status,
//     refused ones do not. The reported window is the spike one unless fewer
//     hourly requests are left than the spike limit. 429 carries Retry-After
//     (seconds to the reset) unless NoRetryAfter; the body is the documented
//     plain-text message. /_sandbox/* and the storage host are not limited.
//
//   - Uploads: segments must be at least 5 MiB (5,242,880 bytes, S3's limit)
//     except the last, at most 5 GiB, at most 10,000; sha256 is required. A
//     segment PUT must send Content-Length and x-amz-content-sha256 equal to
//     the declared values and a body with that SHA-256 (and Content-MD5 when
//     given); its ETag is the quoted MD5 hex. Storage URLs expire one hour after
//     the upload was created (403 AccessDenied). Single-part uploads (no
//     segments) get url and fields of an S3 POST policy; the POST answers 204.
//     Upload requests are read as JSON (forms are accepted without segments).
//     Only the creator may show, complete or attach an upload (403); an upload
//     may be attached to several files or versions; after 7 days it is gone.
//
//   - Downloads: file_versions[].url (and prostore_file.url) is
//     /fas/api/v5/files/{version_id}?...&sig=... on the API host; it answers 302
//     to a presigned storage URL valid for one hour. The storage host refuses
//     any Authorization header with 400 InvalidArgument and serves Range (206).
//
//   - Faults and random faults apply to /rest and /fas requests, storage
//     downloads and storage uploads, never to /oauth.
//
//   - A known path with an unrouted method answers 405 with Allow; unknown
//     paths answer 404. Both carry the rate-limit headers.
//
//   - POST /companies/{id}/files/{id}/send_email sends nothing and answers 204.
//
// # Stats and faults
//
// Stats keys are route patterns ("GET /rest/v1.0/folders/{id}") and, for the
// storage listener, "storage " plus the pattern ("storage PUT
// /s3/pro-core.com/uploads/{uuid}/parts/{n}"). Fault rules come from
// [Server.AddFault] or, in cmd/procore-sandbox, from --fault with the
// [ParseFaultRule] syntax, e.g. --fault endpoint=download,file=90211004,nth=3,drop=1000000
// or --fault "endpoint=GET /rest/v1.0/me,nth=1,status=503,retry_after=5".
//
// TODO(sandbox): custom fields, tracked folders, restoring from the recycle
// bin, the v2.1 unified uploads and the v1.0 file[data] size limit are not
// modelled; they can go in when a client needs them.
//
// Contents are files under DataDir, streamed with fixed buffers. An in-memory
// sandbox keeps contents of up to 1 MiB (64 MiB in all) in memory and the rest
// in a temporary directory removed by Close. Metadata is one JSON file (sandbox.json) replaced
// atomically (temp file, fsync, rename) 50 ms after a burst of changes and on
// Close, so a killed process may lose the last 50 ms of changes but never
// leaves a half-written file. Stats count a dropped connection as status 0.
package sandbox
