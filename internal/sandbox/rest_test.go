package sandbox

import (
	"fmt"
	"strings"
	"testing"
)

func TestCompanyHeaderRules(t *testing.T) {
	srv := startSandbox(t, Options{Seed: "demo"})
	c := demoClient(t, srv, DemoSurveyor)

	c.company = 0
	c.call("GET", "/rest/v1.0/me", nil, 200)
	c.call("GET", "/rest/v1.0/companies", nil, 200)

	body := obj(c.call("GET", "/rest/v1.0/projects?company_id=4281379", nil, 404))
	if !strings.HasPrefix(body["message"].(string), "Missing Procore-Company-Id header!") {
		t.Fatalf("message: %v", body)
	}

	c.call("GET", "/rest/v1.0/folders?"+pq(DemoProjectID), nil, 404)

	other := srv.AddCompany("Other Co")
	c.company = other
	c.call("GET", "/rest/v1.0/folders?"+pq(DemoProjectID), nil, 404) // cannot see that company

	c.company = DemoCompanyID
	c.call("GET", "/rest/v1.0/projects", nil, 400) // company_id is required
	c.call("GET", "/rest/v1.0/projects/316469", nil, 200)

	// A company_id query must agree with the header, on the list and on show.
	for _, tt := range []struct {
		q    string
		want int
	}{{"company_id=4281379", 200}, {"company_id=999", 404}, {"company_id=abc", 400}} {
		c.call("GET", "/rest/v1.0/projects?"+tt.q, nil, tt.want)
		c.call("GET", "/rest/v1.0/projects/316469?"+tt.q, nil, tt.want)
	}

	c.call("GET", "/rest/v1.0/companies/4281379/projects", nil, 200)
}

func TestProjectsPagination(t *testing.T) {
	srv := startSandbox(t, Options{Seed: "demo"})
	u := srv.AddUser("pager@demo.test", "Pager", "pw")
	for i := 0; i < 5; i++ {
		p := srv.AddProject(DemoCompanyID, fmt.Sprintf("Extra %d", i))
		srv.SetPermission(u, p, LevelReadOnly)
	}

	c := demoClient(t, srv, "pager@demo.test")

	cases := []struct {
		page  int
		n     int
		rels  []string
		noRel []string
	}{
		{1, 2, []string{"next", "last"}, []string{"first", "prev"}},
		{2, 2, []string{"first", "next", "last"}, []string{"prev"}},
		{3, 1, []string{"first", "prev", "last"}, []string{"next"}},
	}
	for _, v := range []string{"v1.0", "v1.1"} {
		for _, tc := range cases {
			resp := c.req("GET", fmt.Sprintf("/rest/%s/projects?company_id=4281379&per_page=2&page=%d", v, tc.page), nil, "")
			items := arr(decode(t, resp, 200))
			link := resp.Header.Get("Link")

			if len(items) != tc.n || resp.Header.Get("Total") != "5" || resp.Header.Get("Per-Page") != "2" {
				t.Fatalf("%s page %d: %d items, headers %v", v, tc.page, len(items), resp.Header)
			}

			for _, rel := range tc.rels {
				if !strings.Contains(link, `rel="`+rel+`"`) {
					t.Errorf("%s page %d: no %s in %s", v, tc.page, rel, link)
				}
			}

			for _, rel := range tc.noRel {
				if strings.Contains(link, `rel="`+rel+`"`) {
					t.Errorf("%s page %d: unexpected %s in %s", v, tc.page, rel, link)
				}
			}
		}
	}

	resp := c.req("GET", "/rest/v1.0/companies", nil, "")
	decode(t, resp, 200)

	if resp.Header.Get("Total") != "1" || resp.Header.Get("Link") != "" {
		t.Fatalf("companies headers: %v", resp.Header)
	}
}

func TestPermissionsHideProjects(t *testing.T) {
	srv := startSandbox(t, Options{Seed: "demo"})
	srv.AddUser("nobody@demo.test", "Nobody", "pw")
	c := demoClient(t, srv, "nobody@demo.test")
	c.call("GET", "/rest/v1.0/companies", nil, 404) // header names a company it cannot see

	c.company = 0
	if n := len(arr(c.call("GET", "/rest/v1.0/companies", nil, 200))); n != 0 {
		t.Fatalf("companies visible: %d", n)
	}

	c.call("GET", "/rest/v1.0/projects?company_id=4281379", nil, 404)
}

func TestRateHeadersOnEveryAnswer(t *testing.T) {
	srv := startSandbox(t, Options{Seed: "demo", RateSpike: 50, RateHourly: 1000})
	c := demoClient(t, srv, DemoSurveyor)

	cases := []struct {
		method, path string
		want         int
	}{
		{"GET", "/rest/v1.0/me", 200},
		{"PUT", "/rest/v1.0/me", 405},
		{"GET", "/rest/v9/nothing", 404},
		{"GET", "/oauth/authorize?client_id=x", 400},
		{"POST", "/oauth/revoke", 200},
	}
	for _, tc := range cases {
		resp := c.req(tc.method, tc.path, nil, "")
		_ = resp.Body.Close()

		if resp.StatusCode != tc.want || resp.Header.Get("X-Rate-Limit-Limit") == "" {
			t.Errorf("%s %s: %d, headers %v", tc.method, tc.path, resp.StatusCode, resp.Header)
		}
	}
}
