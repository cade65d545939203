package components

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/macie2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Macie's administrator needs trusted access for macie.amazonaws.com.
var _ = needsTrustedAccess("aws:macie2/organizationAdminAccount:OrganizationAdminAccount", "macie.amazonaws.com")

// MacieOrgType is the type token of MacieOrg.
const MacieOrgType = "landingzone:audit:MacieOrg"

// MacieFrequencies are the finding publishing frequencies Macie accepts
// (API_EnableMacie).
var MacieFrequencies = []string{"FIFTEEN_MINUTES", "ONE_HOUR", "SIX_HOURS"}

// MacieOrgArgs configures Amazon Macie for the organization.
type MacieOrgArgs struct {
	RegionalAdministration
	// Members are the existing accounts to enable; auto-enable covers only
	// accounts that join later. Macie's CreateMember takes each one's email.
	Members                    []OrganizationMember
	FindingPublishingFrequency string
	// Results, when set, is the repository for sensitive data discovery results.
	Results *MacieResults
}

// MacieResults is the repository for Macie's sensitive data discovery
// results: one hardened bucket with its own key in the administrator's home
// region, which Macie in every governed region writes to (the Macie user
// guide, "Storing and retaining sensitive data discovery results": results
// of several regions may share a bucket in a region enabled by default, and
// the key must be in the bucket's region).
type MacieResults struct {
	Bucket              Account // the administrator, home region
	BucketName          string
	AccessLogBucketName string
	KeyAlias            string
	DeletionDays        int
	// OptInRegions are the governed regions that AWS disables by default,
	// where Macie acts as its regional principal (macie.<region>.amazonaws.com).
	OptInRegions     []string
	EvidenceManagers []string // see LogBucketArgs
}

func (r *MacieResults) check(e *argErrors) {
	if r == nil {
		return
	}
	r.Bucket.check(e, "Results.Bucket.")
	e.require("Results.BucketName", r.BucketName)
	e.require("Results.KeyAlias", r.KeyAlias)
}

// MacieOrg makes the security account Macie's delegated administrator in
// every governed region, auto-enables new accounts and enables the existing
// ones. Macie publishes its policy findings to Security Hub, where the
// Security Hub alert rule reaches them.
type MacieOrg struct {
	pulumi.ResourceState
	// Results is the discovery results bucket; nil without one.
	Results *LogBucket
}

// NewMacieOrg creates, per region: Macie in the administrator, the delegated
// administrator, the organization configuration, then the members.
func NewMacieOrg(ctx *pulumi.Context, name string, args *MacieOrgArgs, opts ...pulumi.ResourceOption) (_ *MacieOrg, err error) {
	if args == nil {
		return nil, errNilArgs("MacieOrg")
	}
	defer wrapChildError(&err, "MacieOrg", name)
	e := &argErrors{component: "MacieOrg"}
	args.check(e)
	e.require("FindingPublishingFrequency", args.FindingPublishingFrequency)
	checkMembers(e, args.Members)
	args.Results.check(e)
	if err := e.err(); err != nil {
		return nil, err
	}
	c := &MacieOrg{}
	if err := ctx.RegisterComponentResource(MacieOrgType, name, c, opts...); err != nil {
		return nil, err
	}
	if args.Results != nil {
		if c.Results, err = newMacieResultsBucket(ctx, name+"-results", c, args.Results, args.Security); err != nil {
			return nil, err
		}
	}
	for _, region := range args.Security.Regions {
		prefix := fmt.Sprintf("%s-%s", name, region)
		security := children(c, args.Security.Providers[region])
		// Macie runs in the administrator before it is designated, with the
		// publishing frequency members inherit.
		self, err := macie2.NewAccount(ctx, prefix+"-administrator", &macie2.AccountArgs{
			Status:                     pulumi.String("ENABLED"),
			FindingPublishingFrequency: pulumi.String(args.FindingPublishingFrequency),
		}, security...)
		if err != nil {
			return nil, err
		}
		if c.Results != nil {
			// Macie tests the repository when it is saved: the bucket policy
			// and the key's policy come first.
			if _, err := macie2.NewClassificationExportConfiguration(ctx, prefix+"-results", &macie2.ClassificationExportConfigurationArgs{
				S3Destination: &macie2.ClassificationExportConfigurationS3DestinationArgs{
					BucketName: c.Results.Name,
					KmsKeyArn:  c.Results.Key.Arn,
				},
			}, append(security, pulumi.DependsOn([]pulumi.Resource{self, c.Results.Policy}))...); err != nil {
				return nil, err
			}
		}
		admin, err := macie2.NewOrganizationAdminAccount(ctx, prefix+"-delegated-admin", &macie2.OrganizationAdminAccountArgs{
			AdminAccountId: pulumi.String(args.Security.AccountID),
		}, append(children(c, args.Management.Providers[region]), pulumi.DependsOn([]pulumi.Resource{self}))...)
		if err != nil {
			return nil, err
		}
		orgConfig, err := macie2.NewOrganizationConfiguration(ctx, prefix+"-organization-configuration", &macie2.OrganizationConfigurationArgs{
			AutoEnable: pulumi.Bool(true),
		}, append(security, pulumi.DependsOn([]pulumi.Resource{admin}))...)
		if err != nil {
			return nil, err
		}
		if err := args.newMembers(ctx, prefix, security, orgConfig); err != nil {
			return nil, err
		}
	}
	outputs := pulumi.Map{}
	if c.Results != nil {
		outputs["resultsBucketName"] = c.Results.Name
	}
	return c, ctx.RegisterResourceOutputs(c, outputs)
}

// newMembers associates the organization's accounts with the
// administrator in one region, after its organization configuration.
func (a *MacieOrgArgs) newMembers(ctx *pulumi.Context, prefix string, security []pulumi.ResourceOption, orgConfig pulumi.Resource) error {
	for _, m := range a.Members {
		if m.AccountID == a.Security.AccountID {
			continue
		}
		// An organization account is associated without an invitation
		// (invite left unset: false would disassociate it). Macie
		// returns no email for an organization member, and the provider
		// replaces a member whose email differs from what it reads
		// (terraform-provider-aws issues 26218, 29013): the email counts
		// only when the member is created.
		if _, err := macie2.NewMember(ctx, fmt.Sprintf("%s-member-%s", prefix, m.AccountID), &macie2.MemberArgs{
			AccountId: pulumi.String(m.AccountID),
			Email:     pulumi.String(m.Email),
			Status:    pulumi.String("ENABLED"),
		}, append(security, pulumi.DependsOn([]pulumi.Resource{orgConfig}), pulumi.IgnoreChanges([]string{"email"}))...); err != nil {
			return err
		}
	}
	return nil
}

// newMacieResultsBucket creates the results bucket and its key. Macie, in
// each of the administrator's regions, may read the bucket's location and
// write results under the administrator's export configuration or
// classification jobs, encrypted with the key, which it may use only for
// that; it may upload nothing without SSE-KMS (the user guide's bucket and
// key policies).
func newMacieResultsBucket(ctx *pulumi.Context, name string, parent pulumi.Resource, r *MacieResults, administrator AccountRegions) (*LogBucket, error) {
	a := r.Bucket
	var sources []string
	for _, region := range administrator.Regions {
		sources = append(sources,
			arn(a.Partition, "macie2", region, administrator.AccountID, "export-configuration:*"),
			arn(a.Partition, "macie2", region, administrator.AccountID, "classification-job/*"))
	}
	principals := servicePrincipalsIn("macie", administrator.Regions, r.OptInRegions, a.Partition)
	fromMacie := Conditions{
		"StringEquals": {"aws:SourceAccount": administrator.AccountID},
		"ArnLike":      {"aws:SourceArn": sources},
	}
	bucket := bucketArn(a.Partition, r.BucketName)
	return NewLogBucket(ctx, name, &LogBucketArgs{
		Account:      a,
		BucketName:   r.BucketName,
		DeletionDays: r.DeletionDays,
		// No Object Lock: S3 refuses a PutObject into a bucket with a default
		// retention unless it carries Content-MD5 or an x-amz-checksum header
		// (Amazon S3 API reference, PutObject), and Macie documents no such
		// header for its discovery results.
		EvidenceManagers:    r.EvidenceManagers,
		AccessLogBucketName: r.AccessLogBucketName,
		Key: &KeyArgs{
			Description: "Encrypts Amazon Macie's sensitive data discovery results",
			Alias:       r.KeyAlias,
			Partition:   a.Partition,
			AccountID:   a.AccountID,
			Statements: []Statement{allow("MacieEncryptsResults", principals,
				[]string{"kms:GenerateDataKey", "kms:Encrypt"}, []string{"*"}, fromMacie)},
		},
		Statements: []Statement{
			allow("MacieGetsBucketLocation", principals, []string{"s3:GetBucketLocation"}, []string{bucket}, fromMacie),
			allow("MacieWritesResults", principals, []string{"s3:PutObject"}, []string{bucket + "/*"}, fromMacie),
			{
				Sid: "DenyMacieUploadsWithoutKMS", Effect: "Deny", Principal: principals,
				Action: []string{"s3:PutObject"}, Resource: []string{bucket + "/*"},
				Condition: Conditions{"StringNotEquals": {"s3:x-amz-server-side-encryption": "aws:kms"}},
			},
		},
	}, pulumi.Parent(parent))
}
