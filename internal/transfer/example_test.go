package transfer_test

import (
	"context"
	"fmt"
	"os"

	"github.com/backsight/backsight/internal/procore"
	"github.com/backsight/backsight/internal/transfer"
)

// A CLI or GUI uploads a file as a managed job and shows progress from the
// reporter's callback (a GUI would hand the snapshot to fyne.Do there).
func Example() {
	ctx := context.Background()
	c, err := procore.NewClient("https://api.procore.com", procore.StaticToken("…"),
		procore.WithCompanyID(4281379))
	if err != nil {
		panic(err)
	}

	tr := transfer.New(c, transfer.Options{})
	m := transfer.NewManager(ctx, 3)
	defer m.Close()

	scope := procore.ProjectScope(316469)
	h := m.Submit("upload plan.dxf", func(ctx context.Context, p *transfer.Progress) error {
		if st, err := os.Stat("plan.dxf"); err == nil {
			p.AddTotal(st.Size(), 1) // totals are the caller's to set
		}

		res, err := tr.UploadFile(ctx, scope, 0, "plan.dxf", p)
		if err == nil {
			fmt.Println(res.Outcome, "version", res.Version)
		}

		return err
	})

	stop := h.Progress.Report(0, func(s transfer.Snapshot) {
		fmt.Printf("%s %.0f%% final=%v\n", s.Current, 100*s.Fraction(), s.Final)
	})
	err = h.Err()
	stop()

	if err != nil {
		fmt.Println("upload:", err)
	}
}
