package replay_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/sivchari/kumo"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/example/landing-zone-audit/internal/replay"
)

// startKumo starts kumo (github.com/sivchari/kumo, an AWS emulator from
// the Go module proxy that serves S3) in this process and returns its
// endpoint.
func startKumo(t *testing.T) string {
	t.Helper()
	srv := kumo.NewServer()
	t.Cleanup(srv.Close)
	return srv.URL
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
