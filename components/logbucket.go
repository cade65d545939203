package components

import (
	"fmt"
	"slices"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// LogBucketType is the type token of LogBucket.
const LogBucketType = "landingzone:audit:LogBucket"

// LogBucketArgs configures a hardened log bucket.
type LogBucketArgs struct {
	Account
	BucketName string
	// Key, when set, creates a customer KMS key in the bucket's account for
	// SSE-KMS default encryption; nil means SSE-S3.
	Key *KeyArgs
	// DeletionDays expires objects; 0 keeps current objects forever (for
	// buckets that hold configuration rather than logs).
	DeletionDays          int
	GlacierTransitionDays int // 0: no transition
	ObjectLock            ObjectLock
	// AccessLogBucketName, when set, creates a second hardened bucket that
	// receives this bucket's server access logs (Security Hub S3.9).
	AccessLogBucketName string
	// Statements are the service-specific grants; the TLS-only deny is always added.
	Statements []Statement
	// EvidenceManagers, when set, are the only principals (role ARNs) that
	// may delete object versions or change the bucket's lifecycle, policy,
	// versioning or Object Lock: the bucket policy denies everyone else.
	EvidenceManagers []string
}

// LogBucket is a private, versioned, encrypted bucket for audit logs, retained
// when the stack is destroyed. It lives in whichever account Provider names.
type LogBucket struct {
	pulumi.ResourceState

	Bucket    *s3.BucketV2
	Policy    *s3.BucketPolicy
	Key       *kms.Key   // nil with SSE-S3
	AccessLog *LogBucket // nil without access logging
	Name      pulumi.StringOutput
	Arn       pulumi.StringOutput
}

func (a *LogBucketArgs) validate() error {
	e := &argErrors{component: "LogBucket"}
	a.Account.check(e, "")
	e.require("BucketName", a.BucketName)
	return e.err()
}

// ObjectLock is S3 Object Lock's default retention; an empty Mode leaves it off.
type ObjectLock struct {
	Mode ObjectLockMode
	Days int
}

// ObjectLockMode is S3's Object Lock retention mode.
type ObjectLockMode string

// Object Lock modes.
const (
	ObjectLockGovernance ObjectLockMode = "GOVERNANCE"
	ObjectLockCompliance ObjectLockMode = "COMPLIANCE"
)

// NewLogBucket creates a hardened log bucket: all four public-access blocks,
// bucket-owner-enforced ownership, default encryption, versioning, lifecycle
// expiry, optional Object Lock and access logging, and a policy that grants
// the given statements and denies any request without TLS.
func NewLogBucket(ctx *pulumi.Context, name string, args *LogBucketArgs, opts ...pulumi.ResourceOption) (_ *LogBucket, err error) {
	if args == nil {
		return nil, errNilArgs("LogBucket")
	}
	defer wrapChildError(&err, "LogBucket", name)
	if err := args.validate(); err != nil {
		return nil, err
	}
	c := &LogBucket{}
	if err := ctx.RegisterComponentResource(LogBucketType, name, c, opts...); err != nil {
		return nil, err
	}
	child := children(c, args.Provider)
	// Retained on delete: `pulumi destroy` leaves the bucket and its logs in
	// place, with the settings that protect them (public-access block,
	// ownership, encryption, versioning, lifecycle, Object Lock, policy):
	// deleting those would re-enable ACLs, drop the TLS-only deny and
	// suspend versioning on the evidence left behind. Object Lock is never
	// set on the bucket itself (objectLockEnabled forces a new bucket, and
	// the name is fixed): the Object Lock configuration below enables it, on
	// a new or an existing versioned bucket.
	keep := append(slices.Clone(child), pulumi.RetainOnDelete(true))
	c.Bucket, err = s3.NewBucketV2(ctx, name, &s3.BucketV2Args{
		Bucket: pulumi.String(args.BucketName),
	}, keep...)
	if err != nil {
		return nil, err
	}
	id := c.Bucket.ID().ToStringOutput()
	pab, err := s3.NewBucketPublicAccessBlock(ctx, name+"-public-access-block", &s3.BucketPublicAccessBlockArgs{
		Bucket:                id,
		BlockPublicAcls:       pulumi.Bool(true),
		BlockPublicPolicy:     pulumi.Bool(true),
		IgnorePublicAcls:      pulumi.Bool(true),
		RestrictPublicBuckets: pulumi.Bool(true),
	}, keep...)
	if err != nil {
		return nil, err
	}
	if _, err := s3.NewBucketOwnershipControls(ctx, name+"-ownership", &s3.BucketOwnershipControlsArgs{
		Bucket: id,
		Rule:   &s3.BucketOwnershipControlsRuleArgs{ObjectOwnership: pulumi.String("BucketOwnerEnforced")},
	}, keep...); err != nil {
		return nil, err
	}
	if err := c.encryption(ctx, name, id, args, keep); err != nil {
		return nil, err
	}
	versioning, err := s3.NewBucketVersioningV2(ctx, name+"-versioning", &s3.BucketVersioningV2Args{
		Bucket:                  id,
		VersioningConfiguration: &s3.BucketVersioningV2VersioningConfigurationArgs{Status: pulumi.String("Enabled")},
	}, keep...)
	if err != nil {
		return nil, err
	}
	if err := c.lifecycle(ctx, name, id, args, append(slices.Clone(keep), pulumi.DependsOn([]pulumi.Resource{versioning}))); err != nil {
		return nil, err
	}
	if err := objectLock(ctx, name, id, args, append(slices.Clone(keep), pulumi.DependsOn([]pulumi.Resource{versioning}))); err != nil {
		return nil, err
	}
	// Access logging is optional: switched off, it is deleted as asked.
	if args.AccessLogBucketName != "" {
		if err := c.accessLogging(ctx, name, id, args, child); err != nil {
			return nil, err
		}
	}
	c.Policy, err = bucketPolicy(ctx, name, id, args, append(slices.Clone(keep), pulumi.DependsOn([]pulumi.Resource{pab})))
	if err != nil {
		return nil, err
	}
	c.Name, c.Arn = c.Bucket.Bucket, c.Bucket.Arn
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{"name": c.Name, "arn": c.Arn})
}

// objectLock sets the bucket's default retention, when asked, through the
// Object Lock configuration (never objectLockEnabled on the bucket, which
// would replace it); it needs versioning first.
func objectLock(ctx *pulumi.Context, name string, id pulumi.StringInput, args *LogBucketArgs, opts []pulumi.ResourceOption) error {
	if args.ObjectLock.Mode == "" {
		return nil
	}
	_, err := s3.NewBucketObjectLockConfigurationV2(ctx, name+"-object-lock", &s3.BucketObjectLockConfigurationV2Args{
		Bucket:            id,
		ObjectLockEnabled: pulumi.String("Enabled"),
		Rule: &s3.BucketObjectLockConfigurationV2RuleArgs{DefaultRetention: &s3.BucketObjectLockConfigurationV2RuleDefaultRetentionArgs{
			Mode: pulumi.String(string(args.ObjectLock.Mode)),
			Days: pulumi.Int(args.ObjectLock.Days),
		}},
	}, opts...)
	return err
}

// bucketPolicy writes the services' statements, the TLS-only deny and the
// denies that keep the evidence from being erased.
func bucketPolicy(ctx *pulumi.Context, name string, id pulumi.StringInput, args *LogBucketArgs, opts []pulumi.ResourceOption) (*s3.BucketPolicy, error) {
	bucketARN := bucketArn(args.Partition, args.BucketName)
	statements := append(append([]Statement{}, args.Statements...), denyInsecureTransport("s3:*", bucketARN, bucketARN+"/*"))
	statements = append(statements, protectEvidence(bucketARN, args.EvidenceManagers)...)
	return s3.NewBucketPolicy(ctx, name+"-policy", &s3.BucketPolicyArgs{
		Bucket: id,
		Policy: pulumi.String(policy(statements...).JSON()),
	}, opts...)
}

// encryption sets the bucket's default encryption: SSE-KMS with a key of
// its own and an S3 Bucket Key, or SSE-S3.
func (c *LogBucket) encryption(ctx *pulumi.Context, name string, id pulumi.StringInput, args *LogBucketArgs, child []pulumi.ResourceOption) error {
	var err error
	sse := &s3.BucketServerSideEncryptionConfigurationV2RuleApplyServerSideEncryptionByDefaultArgs{SseAlgorithm: pulumi.String("AES256")}
	if args.Key != nil {
		keyArgs := *args.Key
		keyArgs.Partition, keyArgs.AccountID = args.Partition, args.AccountID
		if c.Key, err = newKey(ctx, name+"-key", keyArgs, child...); err != nil {
			return err
		}
		sse = &s3.BucketServerSideEncryptionConfigurationV2RuleApplyServerSideEncryptionByDefaultArgs{
			SseAlgorithm: pulumi.String("aws:kms"), KmsMasterKeyId: c.Key.Arn,
		}
	}
	if _, err := s3.NewBucketServerSideEncryptionConfigurationV2(ctx, name+"-encryption", &s3.BucketServerSideEncryptionConfigurationV2Args{
		Bucket: id,
		Rules: s3.BucketServerSideEncryptionConfigurationV2RuleArray{&s3.BucketServerSideEncryptionConfigurationV2RuleArgs{
			ApplyServerSideEncryptionByDefault: sse,
			BucketKeyEnabled:                   pulumi.Bool(args.Key != nil),
		}},
	}, child...); err != nil {
		return err
	}
	return nil
}

// DeliveryReady returns what a service writing into the bucket must wait for:
// the bucket policy that grants it and, with SSE-KMS, the key. Depend on these
// rather than on the component: a component's DependsOn neither reaches its
// children nor reliably covers the other component's children.
func (c *LogBucket) DeliveryReady() []pulumi.Resource {
	ready := []pulumi.Resource{c.Policy}
	if c.Key != nil {
		ready = append(ready, c.Key)
	}
	return ready
}

func (c *LogBucket) lifecycle(ctx *pulumi.Context, name string, id pulumi.StringInput, args *LogBucketArgs, opts []pulumi.ResourceOption) error {
	noncurrentDays := args.DeletionDays
	if noncurrentDays == 0 {
		noncurrentDays = 90 // old versions of kept objects
	}
	rule := &s3.BucketLifecycleConfigurationV2RuleArgs{
		Id:     pulumi.String("expire-logs"),
		Status: pulumi.String("Enabled"),
		Filter: &s3.BucketLifecycleConfigurationV2RuleFilterArgs{Prefix: pulumi.String("")},
		NoncurrentVersionExpiration: &s3.BucketLifecycleConfigurationV2RuleNoncurrentVersionExpirationArgs{
			NoncurrentDays: pulumi.Int(noncurrentDays),
		},
		AbortIncompleteMultipartUpload: &s3.BucketLifecycleConfigurationV2RuleAbortIncompleteMultipartUploadArgs{
			DaysAfterInitiation: pulumi.Int(7),
		},
	}
	if args.DeletionDays > 0 {
		rule.Expiration = &s3.BucketLifecycleConfigurationV2RuleExpirationArgs{Days: pulumi.Int(args.DeletionDays)}
	}
	if args.GlacierTransitionDays > 0 {
		rule.Transitions = s3.BucketLifecycleConfigurationV2RuleTransitionArray{&s3.BucketLifecycleConfigurationV2RuleTransitionArgs{
			Days: pulumi.Int(args.GlacierTransitionDays), StorageClass: pulumi.String("GLACIER"),
		}}
	}
	_, err := s3.NewBucketLifecycleConfigurationV2(ctx, name+"-lifecycle", &s3.BucketLifecycleConfigurationV2Args{
		Bucket: id,
		Rules:  s3.BucketLifecycleConfigurationV2RuleArray{rule},
	}, opts...)
	return err
}

// accessLogging creates the access-log bucket (itself hardened, SSE-S3 as S3
// requires for log targets, no logging of its own) and points this bucket at it.
func (c *LogBucket) accessLogging(ctx *pulumi.Context, name string, id pulumi.StringInput, args *LogBucketArgs, opts []pulumi.ResourceOption) error {
	source := bucketArn(args.Partition, args.BucketName)
	target := bucketArn(args.Partition, args.AccessLogBucketName)
	var err error
	c.AccessLog, err = NewLogBucket(ctx, name+"-access-logs", &LogBucketArgs{
		Account:          args.Account,
		BucketName:       args.AccessLogBucketName,
		DeletionDays:     args.DeletionDays,
		EvidenceManagers: args.EvidenceManagers,
		Statements: []Statement{allow("S3ServerAccessLogs", service("logging.s3.amazonaws.com"),
			[]string{"s3:PutObject"}, []string{target + "/*"},
			Conditions{
				"ArnLike":      {"aws:SourceArn": source},
				"StringEquals": {"aws:SourceAccount": args.AccountID},
			})},
	}, pulumi.Parent(c))
	if err != nil {
		return err
	}
	_, err = s3.NewBucketLoggingV2(ctx, name+"-logging", &s3.BucketLoggingV2Args{
		Bucket:       id,
		TargetBucket: c.AccessLog.Name,
		TargetPrefix: pulumi.String(fmt.Sprintf("%s/", args.BucketName)),
	}, append(opts, pulumi.DependsOn([]pulumi.Resource{c.AccessLog.Policy}))...)
	return err
}

// protectEvidence denies everyone but managers erasing the bucket's logs or
// weakening what keeps them: no principal, administrators of the bucket's
// own account included, deletes an object version, shortens a retention,
// or changes the lifecycle (s3:PutLifecycleConfiguration is also
// DeleteBucketLifecycle's permission), the policy, versioning or Object
// Lock. Delivery is untouched: services only put objects and read the
// bucket's ACL and location. S3 still lets the account's root user change
// a policy that denies it (Amazon S3 user guide, "Bucket policies"), so no
// one is locked out for good. No managers: no denies.
func protectEvidence(bucketARN string, managers []string) []Statement {
	if len(managers) == 0 {
		return nil
	}
	others := Conditions{"ArnNotEquals": {"aws:PrincipalArn": managers}}
	return []Statement{
		{Sid: "DenyErasingEvidence", Effect: "Deny", Principal: "*", Action: []string{
			"s3:BypassGovernanceRetention", "s3:DeleteObjectVersion", "s3:PutObjectLegalHold", "s3:PutObjectRetention",
		}, Resource: []string{bucketARN + "/*"}, Condition: others},
		{Sid: "DenyWeakeningEvidenceBucket", Effect: "Deny", Principal: "*", Action: []string{
			"s3:DeleteBucket", "s3:DeleteBucketPolicy", "s3:PutBucketObjectLockConfiguration", "s3:PutBucketPolicy",
			"s3:PutBucketVersioning", "s3:PutLifecycleConfiguration",
		}, Resource: []string{bucketARN}, Condition: others},
	}
}
