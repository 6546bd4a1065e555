// Package procore is a client for the parts of Procore's REST API that
// Backsight uses: the signed-in user, companies, projects, the Documents tool
// (project and company folders, files and file versions, the flat documents
// index) and direct uploads to Procore's storage.
//
// The shape follows the common Go REST client pattern: a [Client] built with
// [NewClient], one service per API area ([Client.Folders], [Client.Files], …),
// [Client.NewRequest] and [Client.Do] underneath, and a [Response] that
// carries pagination and rate-limit state. API failures are [*ErrorResponse]
// or [*RateLimitError] values that match the sentinel errors [ErrNotFound],
// [ErrForbidden], [ErrUnauthorized], [ErrNameTaken] and [ErrCheckedOut] with
// errors.Is.
//
// Every request goes through one retry policy (see [RetryPolicy]) and one
// pacer that spreads requests over the rate-limit window reported by Procore.
// The bearer token is only ever sent to the API host and to hosts configured
// with [WithProcoreHosts] (compared exactly, scheme included); redirects are
// followed by hand so that it never reaches a storage host, and storage
// uploads never carry it, whatever their host.
//
// Tokens come from a [TokenSource]. After a 401 the client calls
// [TokenSource.Invalidate] once and retries with the next token.
package procore
