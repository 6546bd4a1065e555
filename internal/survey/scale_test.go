package survey

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestDatasetScale(t *testing.T) {
	ds := &Dataset{
		Points: []Point{{ID: "1", E: 1, N: 2, Z: 3, HasZ: true}, {ID: "2", E: -4, N: 0.5}},
		Lines:  []Line{{Code: "EP", Vertices: []Vertex{{E: 1, N: 1, Z: 1, HasZ: true}, {E: 2, N: 3}}}},
		Surfaces: []Surface{{Name: "G", Vertices: []Vertex{{E: 10, N: 20, Z: 30, HasZ: true}},
			Triangles: [][3]int{{0, 0, 0}}}},
	}
	want := &Dataset{
		Points: []Point{{ID: "1", E: 2, N: 4, Z: 6, HasZ: true}, {ID: "2", E: -8, N: 1}},
		Lines:  []Line{{Code: "EP", Vertices: []Vertex{{E: 2, N: 2, Z: 2, HasZ: true}, {E: 4, N: 6}}}},
		Surfaces: []Surface{{Name: "G", Vertices: []Vertex{{E: 20, N: 40, Z: 60, HasZ: true}},
			Triangles: [][3]int{{0, 0, 0}}}},
	}

	ds.Scale(2)
	if d := cmp.Diff(want, ds); d != "" {
		t.Errorf("Scale(2) (-want +got):\n%s", d)
	}

	ds.Scale(1)
	if d := cmp.Diff(want, ds); d != "" {
		t.Errorf("Scale(1) changed the dataset (-want +got):\n%s", d)
	}
}
