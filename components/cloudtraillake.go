package components

import (
	nativetrail "github.com/pulumi/pulumi-aws-native/sdk/go/aws/cloudtrail"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// CloudTrailLakeType is the type token of CloudTrailLake.
const CloudTrailLakeType = "landingzone:audit:CloudTrailLake"

// CloudTrailLakeArgs configures the organization event data store.
//
// The event data store uses AWS Native, whose schema carries every
// AWS::CloudTrail::EventDataStore setting as AWS ships it (organization and
// multi-region scope, retention, termination protection, billing mode,
// federation); its key is an ordinary KMS key from the AWS provider, like
// every other key here.
type CloudTrailLakeArgs struct {
	// Account is the management account in the home region (its AWS
	// provider creates the key); ManagementNative is its AWS Native provider.
	Account
	ManagementNative pulumi.ProviderResource
	Prefix           string
	RetentionDays    int
	// TerminationProtection refuses deletion of the store (and its events).
	TerminationProtection bool
}

// CloudTrailLake is an organization-wide, multi-region CloudTrail Lake event
// data store in the management account, encrypted with a customer key, for
// teams that query their audit history with SQL. CloudTrail Lake has been
// closed to new customers since 2026-05-31 (CloudTrail user guide,
// "CloudTrail Lake availability change"): it is for management accounts that
// used it before.
type CloudTrailLake struct {
	pulumi.ResourceState

	Store *nativetrail.EventDataStore
	Key   *kms.Key
}

// NewCloudTrailLake creates the key and the event data store.
func NewCloudTrailLake(ctx *pulumi.Context, name string, args *CloudTrailLakeArgs, opts ...pulumi.ResourceOption) (_ *CloudTrailLake, err error) {
	if args == nil {
		return nil, errNilArgs("CloudTrailLake")
	}
	defer wrapChildError(&err, "CloudTrailLake", name)
	e := &argErrors{component: "CloudTrailLake"}
	args.Account.check(e, "")
	e.requireProvider("ManagementNative", args.ManagementNative)
	e.require("Prefix", args.Prefix)
	if err := e.err(); err != nil {
		return nil, err
	}
	c := &CloudTrailLake{}
	if err := ctx.RegisterComponentResource(CloudTrailLakeType, name, c, opts...); err != nil {
		return nil, err
	}
	c.Key, err = newKey(ctx, name+"-key", KeyArgs{
		Description: "Encrypts the organization's CloudTrail Lake event data store",
		Alias:       Names{args.Prefix}.LakeKeyAlias(),
		Partition:   args.Partition,
		AccountID:   args.AccountID,
		// As the CloudTrail user guide gives them for event data stores
		// ("Configure AWS KMS key policies for CloudTrail": encrypt and
		// decrypt permissions, and "Enable CloudTrail to describe KMS key
		// properties"): without conditions, since aws:SourceArn and
		// aws:SourceAccount are not supported in key policies for event data
		// stores, and CloudTrail documents no encryption context for them.
		// Only this key's ARN, given to the store below, leads CloudTrail to
		// it; people who query the store get kms:Decrypt through IAM.
		Statements: []Statement{
			allow("CloudTrailLakeUsesKey", service("cloudtrail.amazonaws.com"),
				[]string{"kms:GenerateDataKey", "kms:Decrypt"}, []string{"*"}, nil),
			allow("CloudTrailDescribesKey", service("cloudtrail.amazonaws.com"),
				[]string{"kms:DescribeKey"}, []string{"*"}, nil),
		},
	}, children(c, args.Provider)...)
	if err != nil {
		return nil, err
	}
	c.Store, err = nativetrail.NewEventDataStore(ctx, name, &nativetrail.EventDataStoreArgs{
		Name:                         pulumi.String(Names{args.Prefix}.EventDataStore()),
		MultiRegionEnabled:           pulumi.Bool(true),
		OrganizationEnabled:          pulumi.Bool(true),
		RetentionPeriod:              pulumi.Int(args.RetentionDays),
		TerminationProtectionEnabled: pulumi.Bool(args.TerminationProtection),
		KmsKeyId:                     c.Key.Arn,
	}, children(c, args.ManagementNative)...)
	if err != nil {
		return nil, err
	}
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{"eventDataStoreArn": c.Store.EventDataStoreArn, "keyArn": c.Key.Arn})
}
