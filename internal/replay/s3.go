package replay

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// S3Options configures the S3 client. Credentials and the default region
// come from the AWS SDK's standard chain (environment, shared config and
// credentials files, SSO, web identity, container and instance roles).
type S3Options struct {
	// EndpointURL, when set, is an S3-compatible endpoint, addressed with
	// path-style URLs.
	EndpointURL string
	// MaxAttempts bounds the attempts of each request (the SDK's standard
	// retryer, with exponential backoff); 0 means 5.
	MaxAttempts int
}

// s3Location is s3://bucket/prefix split up.
type s3Location struct {
	bucket, prefix string
}

// parseS3 reads an s3:// URL.
func parseS3(source string) (s3Location, bool) {
	rest, ok := strings.CutPrefix(source, "s3://")
	if !ok {
		return s3Location{}, false
	}
	bucket, prefix, _ := strings.Cut(rest, "/")
	return s3Location{bucket, prefix}, bucket != ""
}

// s3Store reads one bucket.
type s3Store struct {
	client *s3.Client
	bucket string
}

// newS3Store makes a client for the bucket's own region.
func newS3Store(ctx context.Context, bucket string, o S3Options) (*s3Store, error) {
	attempts := o.MaxAttempts
	if attempts == 0 {
		attempts = 5
	}
	cfg, err := awsconfig.LoadDefaultConfig(ctx, awsconfig.WithRetryMaxAttempts(attempts))
	if err != nil {
		return nil, fmt.Errorf("AWS configuration: %w", err)
	}
	opts := func(region string) func(*s3.Options) {
		return func(so *s3.Options) {
			if region != "" {
				so.Region = region
			}
			if o.EndpointURL != "" {
				so.BaseEndpoint = aws.String(o.EndpointURL)
				so.UsePathStyle = true
			}
		}
	}
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	client := s3.NewFromConfig(cfg, opts(""))
	if o.EndpointURL == "" {
		// S3 answers a request sent to another region than the bucket's
		// with a redirect naming the right one.
		if region := bucketRegion(ctx, client, bucket); region != "" && region != cfg.Region {
			client = s3.NewFromConfig(cfg, opts(region))
		}
	}
	return &s3Store{client: client, bucket: bucket}, nil
}

// bucketRegion asks S3 where a bucket is; "" if it cannot tell.
func bucketRegion(ctx context.Context, client *s3.Client, bucket string) string {
	out, err := client.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(bucket)})
	if err == nil {
		return aws.ToString(out.BucketRegion)
	}
	var re *smithyhttp.ResponseError
	if errors.As(err, &re) && re.Response != nil {
		return re.Response.Header.Get("X-Amz-Bucket-Region")
	}
	return ""
}

func (s *s3Store) list(ctx context.Context, dir string) ([]string, []logFile, error) {
	var dirs []string
	var files []logFile
	pages := s3.NewListObjectsV2Paginator(s.client, &s3.ListObjectsV2Input{
		Bucket:    aws.String(s.bucket),
		Prefix:    aws.String(dir),
		Delimiter: aws.String("/"),
	})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return dirs, files, err
		}
		for _, p := range page.CommonPrefixes {
			dirs = append(dirs, aws.ToString(p.Prefix))
		}
		for _, o := range page.Contents {
			key := aws.ToString(o.Key)
			if key == dir {
				continue // a "folder" placeholder
			}
			files = append(files, s.file(key, aws.ToInt64(o.Size)))
		}
	}
	return dirs, files, nil
}

func (s *s3Store) file(key string, size int64) logFile {
	return logFile{store: s, path: key, name: "s3://" + s.bucket + "/" + key, size: size}
}

// open streams an object. A connection that fails mid-way is picked up
// where it stopped, with a ranged GET of the same version (If-Match its
// ETag), so one dropped connection does not cost the file.
func (s *s3Store) open(ctx context.Context, f logFile) (io.ReadCloser, error) {
	out, err := s.client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(s.bucket), Key: aws.String(f.path)})
	if err != nil {
		return nil, err
	}
	return &objectReader{ctx: ctx, store: s, key: f.path, etag: aws.ToString(out.ETag), size: aws.ToInt64(out.ContentLength), body: out.Body}, nil
}

// resumes bounds how often one object's download is picked up again.
const resumes = 3

type objectReader struct {
	ctx     context.Context
	store   *s3Store
	key     string
	etag    string
	size    int64
	body    io.ReadCloser
	off     int64
	resumed int
}

func (r *objectReader) Read(p []byte) (int, error) {
	for {
		n, err := r.body.Read(p)
		r.off += int64(n)
		if err == io.EOF && r.size > 0 && r.off < r.size {
			err = io.ErrUnexpectedEOF
		}
		if err == nil || err == io.EOF || r.resumed >= resumes || r.ctx.Err() != nil {
			return n, err
		}
		if n > 0 {
			return n, nil // resume on the next call
		}
		r.resumed++
		r.body.Close()
		in := &s3.GetObjectInput{
			Bucket: aws.String(r.store.bucket),
			Key:    aws.String(r.key),
			Range:  aws.String(fmt.Sprintf("bytes=%d-", r.off)),
		}
		if r.etag != "" {
			in.IfMatch = aws.String(r.etag)
		}
		out, gerr := r.store.client.GetObject(r.ctx, in)
		if gerr != nil {
			r.body = io.NopCloser(strings.NewReader(""))
			return 0, fmt.Errorf("%w; resuming at byte %d: %w", err, r.off, gerr)
		}
		r.body = out.Body
	}
}

func (r *objectReader) Close() error { return r.body.Close() }
