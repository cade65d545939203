package replay_test

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/example/landing-zone-audit/internal/replay"
)

// kumoVersion is the S3-compatible server the S3 test runs against
// (github.com/sivchari/kumo, an AWS emulator served by the Go module proxy).
const kumoVersion = "v0.33.1"

// startKumo runs kumo on a free port and returns its endpoint. The binary
// is $KUMO_BIN or kumo on the PATH (.ci/run installs it with go install
// github.com/sivchari/kumo/cmd/kumo@v0.33.1); without either the test is
// skipped, saying how to get it.
func startKumo(t *testing.T) string {
	t.Helper()
	bin := os.Getenv("KUMO_BIN")
	if bin == "" {
		var err error
		if bin, err = exec.LookPath("kumo"); err != nil {
			t.Skipf("kumo is not installed: go install github.com/sivchari/kumo/cmd/kumo@%s, or set KUMO_BIN", kumoVersion)
		}
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	port := l.Addr().(*net.TCPAddr).Port
	require.NoError(t, l.Close())
	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(), fmt.Sprintf("KUMO_PORT=%d", port), "KUMO_HOST=127.0.0.1", "KUMO_LOG_LEVEL=error")
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	endpoint := fmt.Sprintf("http://127.0.0.1:%d", port)
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := http.Get(endpoint + "/")
		if err == nil {
			resp.Body.Close()
			return endpoint
		}
		if time.Now().After(deadline) {
			t.Fatalf("kumo did not start at %s: %v", endpoint, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// The replay reads s3://bucket/prefix through the AWS SDK (ListObjectsV2 by
// directory, GetObject per file) and reports what the independent check
// finds in the same files on disk; an object named that does not exist is
// a problem with its s3:// path, and the run goes on.
func TestReplayS3(t *testing.T) {
	endpoint := startKumo(t)
	// The SDK's standard chain reads these; kumo takes any credentials.
	t.Setenv("AWS_ACCESS_KEY_ID", "test")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "test")
	t.Setenv("AWS_REGION", "us-east-1")
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(t.TempDir(), "none"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(t.TempDir(), "none"))

	root := sharedArchive(t)
	alarms := stackAlarms()
	want := reference(t, root, alarms, nil)

	ctx := context.Background()
	cfg, err := awsconfig.LoadDefaultConfig(ctx)
	require.NoError(t, err)
	client := s3.NewFromConfig(cfg, func(o *s3.Options) {
		o.BaseEndpoint = aws.String(endpoint)
		o.UsePathStyle = true
	})
	_, err = client.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("acme-trail")})
	require.NoError(t, err)
	err = filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		require.NoError(t, err)
		key := "logs/" + filepath.ToSlash(strings.TrimPrefix(path, root+string(filepath.Separator)))
		_, err = client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("acme-trail"), Key: aws.String(key), Body: bytes.NewReader(data)})
		return err
	})
	require.NoError(t, err)

	rep, err := replay.Run(ctx, alarms, replay.Options{
		Sources: []string{"s3://acme-trail/logs", "s3://acme-trail/logs/AWSLogs/gone.json.gz"},
		S3:      replay.S3Options{EndpointURL: endpoint},
	})
	require.NoError(t, err)
	check(t, rep, want)
	assert.Equal(t, int64(300), rep.Summary.Files-1, "300 log files (not the digests) and the missing one")
	require.Len(t, rep.Problems, 1)
	assert.Equal(t, "s3://acme-trail/logs/AWSLogs/gone.json.gz", rep.Problems[0].Path)
	assert.Contains(t, rep.Problems[0].Error, "NoSuchKey")
}
