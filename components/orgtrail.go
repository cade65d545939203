package components

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudtrail"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// OrgTrailType is the type token of OrgTrail.
const OrgTrailType = "landingzone:audit:OrgTrail"

// An organization trail needs trusted access for cloudtrail.amazonaws.com.
var _ = needsTrustedAccess("aws:cloudtrail/trail:Trail", "cloudtrail.amazonaws.com")

// OrgTrailArgs configures the organization trail.
type OrgTrailArgs struct {
	// Management is the management account in the home region, where the
	// trail, its log group and delivery role live.
	Management Account
	// Bucket is the account (home region) holding the log bucket and key.
	Bucket Account

	OrganizationID    string
	SecurityAccountID string // may decrypt the logs when KMS is on
	Prefix            string

	TrailName    string
	BucketName   string
	LogGroupName string
	Options      OrgTrailOptions
}

// OrgTrailOptions are the trail's and its bucket's settings.
type OrgTrailOptions struct {
	LogRetentionDays      int // the log group's; one CloudWatch Logs accepts
	LogDeletionDays       int
	GlacierTransitionDays int // 0: no transition
	KMSEncryption         bool
	LogGroupKMSEncryption bool
	AccessLogging         bool
	ObjectLock            ObjectLock
	EvidenceManagers      []string // see LogBucketArgs
	DataEvents            DataEvents
	Insights              bool
}

// DataEvents selects CloudTrail data events beyond management events.
type DataEvents struct {
	S3     bool
	Lambda bool
}

// OrgTrail is the organization's CloudTrail trail, delivering to a hardened
// central bucket (in the log-archive account by default) and to a CloudWatch
// Logs group in the management account that the alarms hang off.
type OrgTrail struct {
	pulumi.ResourceState

	Bucket      *LogBucket
	Trail       *cloudtrail.Trail
	LogGroup    *cloudwatch.LogGroup
	Key         *kms.Key // nil without KMS encryption
	TrailArn    pulumi.StringOutput
	LogGroupArn pulumi.StringOutput
}

func (a *OrgTrailArgs) validate() error {
	e := &argErrors{component: "OrgTrail"}
	a.Management.check(e, "Management.")
	a.Bucket.check(e, "Bucket.")
	for _, v := range [][2]string{
		{"OrganizationID", a.OrganizationID},
		{"SecurityAccountID", a.SecurityAccountID}, {"Prefix", a.Prefix},
		{"TrailName", a.TrailName}, {"LogGroupName", a.LogGroupName},
	} {
		e.require(v[0], v[1])
	}
	e.require("BucketName", a.BucketName)
	return e.err()
}

// ARN of the trail, known before it exists: policies name it in conditions.
func (a *OrgTrailArgs) trailArn() string {
	return arn(a.Management.Partition, "cloudtrail", a.Management.Region, a.Management.AccountID, "trail/"+a.TrailName)
}

func (a *OrgTrailArgs) logGroupArn() string {
	return arn(a.Management.Partition, "logs", a.Management.Region, a.Management.AccountID, "log-group:"+a.LogGroupName)
}

func (a *OrgTrailArgs) accessLogBucketName() string {
	if !a.Options.AccessLogging {
		return ""
	}
	return Names{a.Prefix}.TrailAccessLogBucket(a.Bucket.AccountID)
}

// logGroup creates the trail's CloudWatch Logs group in management, with
// its own key when asked.
func (c *OrgTrail) logGroup(ctx *pulumi.Context, name string, args *OrgTrailArgs, mgmt []pulumi.ResourceOption) error {
	logGroupArgs := &cloudwatch.LogGroupArgs{
		Name:            pulumi.String(args.LogGroupName),
		RetentionInDays: pulumi.Int(args.Options.LogRetentionDays),
	}
	if args.Options.LogGroupKMSEncryption {
		logKey, err := newKey(ctx, name+"-log-group-key", KeyArgs{
			Description: "Encrypts the organization trail's CloudWatch Logs group",
			Alias:       Names{args.Prefix}.TrailLogGroupKeyAlias(),
			Partition:   args.Management.Partition,
			AccountID:   args.Management.AccountID,
			Statements:  args.logGroupKeyStatements(),
		}, mgmt...)
		if err != nil {
			return err
		}
		logGroupArgs.KmsKeyId = logKey.Arn
	}
	var err error
	// Retained on delete like the bucket: `pulumi destroy` leaves the
	// trail's events that the alarms read, until their retention ends.
	c.LogGroup, err = cloudwatch.NewLogGroup(ctx, name+"-log-group", logGroupArgs, append(mgmt, pulumi.RetainOnDelete(true))...)
	return err
}

// NewOrgTrail creates the bucket, key, log group, delivery role and the
// organization trail. It must run in the management account (or CloudTrail's
// delegated administrator) after trusted access for CloudTrail is enabled.
func NewOrgTrail(ctx *pulumi.Context, name string, args *OrgTrailArgs, opts ...pulumi.ResourceOption) (_ *OrgTrail, err error) {
	if args == nil {
		return nil, errNilArgs("OrgTrail")
	}
	defer wrapChildError(&err, "OrgTrail", name)
	if err := args.validate(); err != nil {
		return nil, err
	}
	c := &OrgTrail{}
	if err := ctx.RegisterComponentResource(OrgTrailType, name, c, opts...); err != nil {
		return nil, err
	}
	mgmt := children(c, args.Management.Provider)
	if c.Bucket, err = args.newBucket(ctx, name, c); err != nil {
		return nil, err
	}

	if err := c.logGroup(ctx, name, args, mgmt); err != nil {
		return nil, err
	}
	role, rolePolicy, err := args.deliveryRole(ctx, name, mgmt)
	if err != nil {
		return nil, err
	}

	trailArgs := &cloudtrail.TrailArgs{
		Name:                       pulumi.String(args.TrailName),
		S3BucketName:               c.Bucket.Name,
		IsOrganizationTrail:        pulumi.Bool(true),
		IsMultiRegionTrail:         pulumi.Bool(true),
		IncludeGlobalServiceEvents: pulumi.Bool(true),
		EnableLogFileValidation:    pulumi.Bool(true),
		EnableLogging:              pulumi.Bool(true),
		// CloudTrail wants the group's ARN with its ":*" stream suffix.
		CloudWatchLogsGroupArn: pulumi.Sprintf("%s:*", c.LogGroup.Arn),
		CloudWatchLogsRoleArn:  role.Arn,
		AdvancedEventSelectors: args.eventSelectors(),
	}
	if c.Bucket.Key != nil {
		c.Key = c.Bucket.Key
		trailArgs.KmsKeyId = c.Key.Arn
	}
	if args.Options.Insights {
		trailArgs.InsightSelectors = cloudtrail.TrailInsightSelectorArray{
			&cloudtrail.TrailInsightSelectorArgs{InsightType: pulumi.String("ApiCallRateInsight")},
			&cloudtrail.TrailInsightSelectorArgs{InsightType: pulumi.String("ApiErrorRateInsight")},
		}
	}
	c.Trail, err = cloudtrail.NewTrail(ctx, name, trailArgs, append(mgmt,
		pulumi.DependsOn([]pulumi.Resource{c.Bucket.Policy, c.LogGroup, role, rolePolicy}))...)
	if err != nil {
		return nil, err
	}
	c.TrailArn, c.LogGroupArn = c.Trail.Arn, c.LogGroup.Arn
	outs := pulumi.Map{
		"bucketName":   c.Bucket.Name,
		"bucketArn":    c.Bucket.Arn,
		"trailArn":     c.Trail.Arn,
		"logGroupName": c.LogGroup.Name,
		"logGroupArn":  c.LogGroup.Arn,
	}
	if c.Key != nil {
		outs["keyArn"] = c.Key.Arn
	}
	return c, ctx.RegisterResourceOutputs(c, outs)
}

// newBucket creates the trail's bucket in its account, with a key that
// also encrypts the trail when KMS encryption is on.
func (a *OrgTrailArgs) newBucket(ctx *pulumi.Context, name string, c *OrgTrail) (*LogBucket, error) {
	var key *KeyArgs
	if a.Options.KMSEncryption {
		// The bucket's key also encrypts the trail (Security Hub CloudTrail.2).
		key = &KeyArgs{
			Description: "Encrypts the organization trail's log files",
			Alias:       Names{a.Prefix}.TrailKeyAlias(),
			Statements:  a.trailKeyStatements(),
		}
	}
	return NewLogBucket(ctx, name+"-bucket", &LogBucketArgs{
		Account:               a.Bucket,
		BucketName:            a.BucketName,
		Key:                   key,
		DeletionDays:          a.Options.LogDeletionDays,
		GlacierTransitionDays: a.Options.GlacierTransitionDays,
		ObjectLock:            a.Options.ObjectLock,
		EvidenceManagers:      a.Options.EvidenceManagers,
		AccessLogBucketName:   a.accessLogBucketName(),
		Statements:            a.bucketStatements(),
	}, pulumi.Parent(c))
}

// bucketStatements let CloudTrail check the bucket ACL and write the
// management account's and the organization's log files, for this trail
// only, and let the security account read them for investigations.
func (a *OrgTrailArgs) bucketStatements() []Statement {
	bucket := bucketArn(a.Management.Partition, a.BucketName)
	onlyThisTrail := Conditions{"StringEquals": {"aws:SourceArn": a.trailArn()}}
	return []Statement{
		allow("SecurityAccountReadsLogs", Principals{AWS: []string{accountRoot(a.Management.Partition, a.SecurityAccountID)}},
			[]string{"s3:GetObject", "s3:ListBucket"}, []string{bucket, bucket + "/AWSLogs/*"}, nil),
		allow("CloudTrailAclCheck", service("cloudtrail.amazonaws.com"), []string{"s3:GetBucketAcl"}, []string{bucket}, onlyThisTrail),
		allow("CloudTrailWrite", service("cloudtrail.amazonaws.com"), []string{"s3:PutObject"},
			[]string{
				fmt.Sprintf("%s/AWSLogs/%s/*", bucket, a.Management.AccountID),
				fmt.Sprintf("%s/AWSLogs/%s/*", bucket, a.OrganizationID),
			},
			Conditions{"StringEquals": {
				"s3:x-amz-acl":  "bucket-owner-full-control",
				"aws:SourceArn": a.trailArn(),
			}}),
	}
}

// trailKeyStatements let CloudTrail encrypt under this trail's encryption
// context, let the security account decrypt log files for investigations,
// and let the management account create and update the trail.
func (a *OrgTrailArgs) trailKeyStatements() []Statement {
	trailContext := arn(a.Management.Partition, "cloudtrail", "*", a.Management.AccountID, "trail/*")
	var creator []Statement
	if a.Bucket.AccountID != a.Management.AccountID {
		// The bucket uses an S3 Bucket Key, and CloudTrail's key-policy guide
		// says "kms:Decrypt permissions are required to create or update a
		// trail with SSE-KMS encryption enabled" on such a bucket. The
		// management account (which creates the organization trail) gets
		// exactly that; it has no read access to the log objects.
		creator = append(creator, allow("TrailCreatorDecrypts", Principals{AWS: []string{accountRoot(a.Management.Partition, a.Management.AccountID)}},
			[]string{"kms:Decrypt"}, []string{"*"},
			Conditions{"StringEquals": {"kms:CallerAccount": a.Management.AccountID}}))
	}
	return append(creator, []Statement{
		allow("CloudTrailEncryptLogs", service("cloudtrail.amazonaws.com"), []string{"kms:GenerateDataKey*"}, []string{"*"},
			Conditions{
				"StringEquals": {"aws:SourceArn": a.trailArn()},
				"StringLike":   {"kms:EncryptionContext:aws:cloudtrail:arn": trailContext},
			}),
		allow("CloudTrailDescribeKey", service("cloudtrail.amazonaws.com"), []string{"kms:DescribeKey"}, []string{"*"},
			Conditions{"StringEquals": {"aws:SourceArn": a.trailArn()}}),
		// CloudTrail's key-policy guide lists a decrypt statement for
		// CloudTrail itself as required where the bucket uses an S3 Bucket Key.
		allow("CloudTrailDecryptsTrail", service("cloudtrail.amazonaws.com"), []string{"kms:Decrypt"}, []string{"*"},
			Conditions{"StringEquals": {"aws:SourceArn": a.trailArn()}}),
		allow("SecurityAccountDecryptsLogs", Principals{AWS: []string{accountRoot(a.Management.Partition, a.SecurityAccountID)}},
			[]string{"kms:Decrypt", "kms:ReEncryptFrom"}, []string{"*"},
			Conditions{
				"StringEquals": {"kms:CallerAccount": a.SecurityAccountID},
				"StringLike":   {"kms:EncryptionContext:aws:cloudtrail:arn": trailContext},
			}),
		allow("LogArchiveDecryptsLogs", Principals{AWS: []string{accountRoot(a.Management.Partition, a.Bucket.AccountID)}},
			[]string{"kms:Decrypt", "kms:ReEncryptFrom"}, []string{"*"},
			Conditions{"StringLike": {"kms:EncryptionContext:aws:cloudtrail:arn": trailContext}}),
	}...)
}

// logGroupKeyStatements let CloudWatch Logs use the key for this group only.
func (a *OrgTrailArgs) logGroupKeyStatements() []Statement {
	return []Statement{allow("CloudWatchLogsUseKey", service(regionalServicePrincipal("logs", a.Management.Region, a.Management.Partition)),
		[]string{"kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"}, []string{"*"},
		Conditions{"ArnEquals": {"kms:EncryptionContext:aws:logs:arn": a.logGroupArn()}})}
}

// deliveryRole is the role CloudTrail assumes to write into the log group:
// only this trail may assume it, and it may only write the trail's streams.
func (a *OrgTrailArgs) deliveryRole(ctx *pulumi.Context, name string, opts []pulumi.ResourceOption) (*iam.Role, *iam.RolePolicy, error) {
	trust := policy(allow("CloudTrailAssumesRole", service("cloudtrail.amazonaws.com"), []string{"sts:AssumeRole"}, nil,
		Conditions{"StringEquals": {"aws:SourceArn": a.trailArn(), "aws:SourceAccount": a.Management.AccountID}}))
	role, err := iam.NewRole(ctx, name+"-cloudwatch-role", &iam.RoleArgs{
		Name:             pulumi.String(Names{a.Prefix}.TrailDeliveryRole()),
		Description:      pulumi.String("CloudTrail delivers the organization trail to CloudWatch Logs"),
		AssumeRolePolicy: pulumi.String(trust.JSON()),
	}, opts...)
	if err != nil {
		return nil, nil, err
	}
	streams := a.logGroupArn() + ":log-stream:"
	write := policy(allow("WriteTrailLogStreams", nil, []string{"logs:CreateLogStream", "logs:PutLogEvents"},
		[]string{
			fmt.Sprintf("%s%s_CloudTrail_%s*", streams, a.Management.AccountID, a.Management.Region),
			fmt.Sprintf("%s%s_*", streams, a.OrganizationID),
		}, nil))
	rolePolicy, err := iam.NewRolePolicy(ctx, name+"-cloudwatch-role-policy", &iam.RolePolicyArgs{
		Role:   role.Name,
		Name:   pulumi.String("write-trail-log-streams"),
		Policy: pulumi.String(write.JSON()),
	}, opts...)
	return role, rolePolicy, err
}

// eventSelectors selects management events exactly once, plus the data events
// asked for. S3 data events exclude the trail's own buckets, which would
// otherwise log their own deliveries in a loop.
func (a *OrgTrailArgs) eventSelectors() cloudtrail.TrailAdvancedEventSelectorArray {
	field := func(name string, equals ...string) *cloudtrail.TrailAdvancedEventSelectorFieldSelectorArgs {
		return &cloudtrail.TrailAdvancedEventSelectorFieldSelectorArgs{Field: pulumi.String(name), Equals: pulumi.ToStringArray(equals)}
	}
	selectors := cloudtrail.TrailAdvancedEventSelectorArray{&cloudtrail.TrailAdvancedEventSelectorArgs{
		Name:           pulumi.String("management-events"),
		FieldSelectors: cloudtrail.TrailAdvancedEventSelectorFieldSelectorArray{field("eventCategory", "Management")},
	}}
	if a.Options.DataEvents.S3 {
		own := []string{bucketArn(a.Management.Partition, a.BucketName) + "/"}
		if b := a.accessLogBucketName(); b != "" {
			own = append(own, bucketArn(a.Management.Partition, b)+"/")
		}
		selectors = append(selectors, &cloudtrail.TrailAdvancedEventSelectorArgs{
			Name: pulumi.String("s3-data-events-except-trail-buckets"),
			FieldSelectors: cloudtrail.TrailAdvancedEventSelectorFieldSelectorArray{
				field("eventCategory", "Data"),
				field("resources.type", "AWS::S3::Object"),
				&cloudtrail.TrailAdvancedEventSelectorFieldSelectorArgs{
					Field: pulumi.String("resources.ARN"), NotStartsWiths: pulumi.ToStringArray(own),
				},
			},
		})
	}
	if a.Options.DataEvents.Lambda {
		selectors = append(selectors, &cloudtrail.TrailAdvancedEventSelectorArgs{
			Name: pulumi.String("lambda-data-events"),
			FieldSelectors: cloudtrail.TrailAdvancedEventSelectorFieldSelectorArray{
				field("eventCategory", "Data"),
				field("resources.type", "AWS::Lambda::Function"),
			},
		})
	}
	return selectors
}
