package tests

import (
	"testing"

	"github.com/pulumi/pulumi/pkg/v3/resource/deploy"
	"github.com/stretchr/testify/require"
)

func TestEngineExplore(t *testing.T) {
	s := newEngineStack(t, "../Pulumi.prod.yaml")
	st, err := s.preview()
	require.NoError(t, err)
	t.Logf("preview: %d creates", len(st[deploy.OpCreate]))
	st, err = s.up()
	require.NoError(t, err)
	t.Logf("up: %d creates, %d providers", len(st[deploy.OpCreate]), s.started)
	st, err = s.up()
	require.NoError(t, err)
	t.Logf("second up: %v", st.changes())
}
