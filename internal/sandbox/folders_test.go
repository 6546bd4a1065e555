package sandbox

import (
	"strings"
	"testing"
)

func folderNamed(t *testing.T, f map[string]any, name string) map[string]any {
	t.Helper()

	for _, x := range arr(f["folders"]) {
		if obj(x)["name"] == name {
			return obj(x)
		}
	}

	t.Fatalf("no folder %q in %v", name, f["name"])

	return nil
}

func TestFolderListingOneLevel(t *testing.T) {
	srv := startSandbox(t, Options{Seed: "demo"})
	c := demoClient(t, srv, DemoViewer)

	root := obj(c.call("GET", "/rest/v1.0/folders?"+pq(DemoProjectID), nil, 200))
	if root["parent_id"] != nil || root["name"] != "Riverside Subdivision Stage 2" {
		t.Fatalf("root: %v %v", root["parent_id"], root["name"])
	}

	survey := folderNamed(t, root, "01 Survey")
	if len(arr(survey["folders"])) != 0 || survey["has_children_folders"] != true {
		t.Fatalf("child listed too deep: %v", survey)
	}

	folderNamed(t, root, "Recycle Bin")

	id := num(survey["id"])
	shown := obj(c.call("GET", "/rest/v1.0/folders/"+itoa(id)+"?"+pq(DemoProjectID), nil, 200))
	ctrl := folderNamed(t, shown, "Control")
	if ctrl["name_with_path"] != "Riverside Subdivision Stage 2/01 Survey/Control" {
		t.Fatalf("name_with_path %v", ctrl["name_with_path"])
	}

	ctrlID := num(ctrl["id"])
	full := obj(c.call("GET", "/rest/v1.0/folders/"+itoa(ctrlID)+"?"+pq(DemoProjectID), nil, 200))
	files := arr(full["files"])
	if len(files) == 0 || len(arr(obj(files[len(files)-1])["file_versions"])) == 0 {
		t.Fatalf("control files: %v", files)
	}

	latest := obj(c.call("GET", "/rest/v1.0/folders/"+itoa(ctrlID)+"?"+pq(DemoProjectID)+
		"&show_latest_file_version_only=true&exclude_folders=true", nil, 200))
	for _, f := range arr(latest["files"]) {
		if n := len(arr(obj(f)["file_versions"])); n != 1 {
			t.Fatalf("latest only: %d versions", n)
		}
	}

	c.call("GET", "/rest/v1.0/folders/999?"+pq(DemoProjectID), nil, 404)
	c.call("GET", "/rest/v1.0/folders/"+itoa(ctrlID)+"?"+pq(DemoProject2ID), nil, 404)
}

func TestFolderLifecycle(t *testing.T) {
	srv := startSandbox(t, Options{Seed: "demo"})
	c := demoClient(t, srv, DemoSurveyor)
	base := "/rest/v1.0/folders"
	q := "?" + pq(DemoProjectID)

	a := obj(c.call("POST", base+q, map[string]any{"folder": map[string]any{"name": "06 Scans"}}, 201))
	aID := itoa(num(a["id"]))

	body := obj(c.call("POST", base+q, map[string]any{"folder": map[string]any{"name": "06 scans"}}, 400))
	if obj(body["errors"])["name"] == nil {
		t.Fatalf("name taken body: %v", body)
	}

	raw := map[string]any{"name": "Raw", "parent_id": num(a["id"])}
	b := obj(c.call("POST", base+q, map[string]any{"folder": raw}, 201))
	bID := itoa(num(b["id"]))

	// Form bodies work too.
	resp := c.req("POST", base+q, encodeForm("folder[name]", "Processed", "folder[parent_id]", aID),
		"application/x-www-form-urlencoded")
	decode(t, resp, 201)

	c.call("PATCH", base+"/"+aID+q, map[string]any{"folder": map[string]any{"parent_id": num(b["id"])}}, 400)

	ren := obj(c.call("PATCH", base+"/"+bID+q, map[string]any{"folder": map[string]any{"name": "Raw 2026"}}, 200))
	if ren["name"] != "Raw 2026" {
		t.Fatalf("rename: %v", ren["name"])
	}

	root := srv.RootFolderID(DemoProjectID)
	mv := obj(c.call("PATCH", base+"/"+bID+q, map[string]any{"folder": map[string]any{"parent_id": root}}, 200))
	if num(mv["parent_id"]) != root {
		t.Fatalf("move: %v", mv["parent_id"])
	}

	del := obj(c.call("DELETE", base+"/"+aID+q, nil, 200))
	if del["is_deleted"] != true {
		t.Fatalf("delete: %v", del)
	}

	c.call("PATCH", base+"/"+aID+q, map[string]any{"folder": map[string]any{"name": "x"}}, 404)

	// The name is free again; the recycle bin lists the deleted folder.
	c.call("POST", base+q, map[string]any{"folder": map[string]any{"name": "06 Scans"}}, 201)

	rootList := obj(c.call("GET", base+q, nil, 200))
	bin := folderNamed(t, rootList, "Recycle Bin")
	binList := obj(c.call("GET", base+"/"+itoa(num(bin["id"]))+q, nil, 200))
	if len(arr(binList["folders"])) != 1 {
		t.Fatalf("recycle bin: %v", binList["folders"])
	}

	c.call("DELETE", base+"/"+itoa(root)+q, nil, 403)
}

func TestFolderPermissions(t *testing.T) {
	srv := startSandbox(t, Options{Seed: "demo"})
	viewer := demoClient(t, srv, DemoViewer)
	q := "?" + pq(DemoProjectID)

	viewer.call("POST", "/rest/v1.0/folders"+q, map[string]any{"folder": map[string]any{"name": "Nope"}}, 403)

	uid := srv.AddUser("outsider@demo.test", "Out", "pw")
	srv.SetPermission(uid, DemoProject2ID, LevelStandard)

	out := demoClient(t, srv, "outsider@demo.test")
	out.call("GET", "/rest/v1.0/folders"+q, nil, 404)
	out.call("POST", "/rest/v1.0/folders"+q, map[string]any{"folder": map[string]any{"name": "Nope"}}, 404)
	out.call("GET", "/rest/v1.0/folders?"+pq(DemoProject2ID), nil, 200)
}

func encodeForm(kv ...string) *strings.Reader {
	return strings.NewReader(form(kv...).Encode())
}

// TestMalformedBodies: a broken or mistyped body is a 400 with a JSON
// message that names no Go type, never a panic or a 500.
func TestMalformedBodies(t *testing.T) {
	srv := startSandbox(t, Options{Seed: "demo"})
	c := demoClient(t, srv, DemoSurveyor)
	q := "?" + pq(DemoProjectID)

	tests := []struct {
		name, path, ct, body string
	}{
		{"truncated json", "/rest/v1.0/folders", "application/json", `{"folder":`},
		{"array", "/rest/v1.0/folders", "application/json", `[]`},
		{"folder is a string", "/rest/v1.0/folders", "application/json", `{"folder":"x"}`},
		{"file is a number", "/rest/v1.0/files", "application/json", `{"file":5}`},
		{"multipart without boundary", "/rest/v1.0/files", "multipart/form-data", "x"},
		{"unknown content type", "/rest/v1.0/folders", "text/plain", "folder[name]=x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := obj(decode(t, c.req("POST", tt.path+q, strings.NewReader(tt.body), tt.ct), 400))
			msg, _ := body["message"].(string)
			if msg == "" || strings.Contains(msg, "Go value") || strings.Contains(msg, "map[") {
				t.Errorf("message %q", msg)
			}
		})
	}
}
