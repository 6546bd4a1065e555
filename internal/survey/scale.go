package survey

// Scale multiplies every coordinate (E, N and Z of points, line and surface
// vertices) by k, as readers do to turn file units into metres.
func (d *Dataset) Scale(k float64) {
	if k == 1 {
		return
	}

	for i := range d.Points {
		p := &d.Points[i]
		p.E, p.N, p.Z = p.E*k, p.N*k, p.Z*k
	}

	for i := range d.Lines {
		scaleVertices(d.Lines[i].Vertices, k)
	}

	for i := range d.Surfaces {
		scaleVertices(d.Surfaces[i].Vertices, k)
	}
}

func scaleVertices(vs []Vertex, k float64) {
	for i := range vs {
		vs[i].E, vs[i].N, vs[i].Z = vs[i].E*k, vs[i].N*k, vs[i].Z*k
	}
}
