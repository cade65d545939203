package components

import "github.com/pulumi/pulumi/sdk/v3/go/pulumi"

// ConfigBucketArgs configures AWS Config's central bucket: the facts it
// needs, from which it writes its own bucket and key policies.
type ConfigBucketArgs struct {
	Account
	BucketName          string
	AccessLogBucketName string
	// KeyAlias names the customer key that encrypts snapshots; empty
	// leaves them SSE-S3 encrypted.
	KeyAlias     string
	DeletionDays int
	Sources      ConfigSources
	// RecorderRoleArns are custom recorder roles, which deliver instead of
	// AWS Config's service principal.
	RecorderRoleArns []string
	EvidenceManagers []string // see LogBucketArgs
}

// NewConfigBucket creates the hardened central bucket (and key) AWS Config
// delivers to, with policies that admit only the sources' deliveries.
func NewConfigBucket(ctx *pulumi.Context, name string, args *ConfigBucketArgs, opts ...pulumi.ResourceOption) (_ *LogBucket, err error) {
	if args == nil {
		return nil, errNilArgs("ConfigBucket")
	}
	defer wrapChildError(&err, "ConfigBucket", name)
	var key *KeyArgs
	if args.KeyAlias != "" {
		key = &KeyArgs{
			Description: "Encrypts AWS Config snapshots and history in the central bucket",
			Alias:       args.KeyAlias,
			Statements:  configKeyStatements(args.Sources, args.RecorderRoleArns),
		}
	}
	return NewLogBucket(ctx, name, &LogBucketArgs{
		Account:      args.Account,
		BucketName:   args.BucketName,
		Key:          key,
		DeletionDays: args.DeletionDays,
		// No Object Lock: AWS Config does not deliver to a bucket with
		// Object Lock enabled (CloudFormation reference,
		// AWS::Config::DeliveryChannel), and S3 never turns it off again.
		EvidenceManagers: args.EvidenceManagers,
		Statements:       configBucketStatements(args.Partition, args.BucketName, args.Sources, args.RecorderRoleArns),
		// Security Hub S3.9: server access logging.
		AccessLogBucketName: args.AccessLogBucketName,
	}, opts...)
}

// ConfigSources names the accounts AWS Config delivers for: the listed
// accounts, or, when AccountIDs is empty, every account of the organization
// (StackSet mode, where member accounts are not listed in the stack).
type ConfigSources struct {
	OrganizationID string
	AccountIDs     []string
}

// writers is the condition on who may write (and encrypt) snapshots.
func (s ConfigSources) writers() Conditions {
	if len(s.AccountIDs) == 0 {
		return Conditions{"StringEquals": {"aws:SourceOrgID": s.OrganizationID}}
	}
	return Conditions{"StringEquals": {"aws:SourceAccount": s.AccountIDs}}
}

// configBucketStatements let AWS Config check and list the central bucket for
// the organization's accounts, and write each listed account's snapshots under
// that account's own prefix only (for a whole organization: under
// AWSLogs/*/Config/). The account list appears once, so the policy stays
// within S3's 20 KB limit for about a thousand accounts. roleArns, when set,
// are custom recorder roles that deliver instead of the service principal.
func configBucketStatements(partition, bucket string, sources ConfigSources, roleArns []string) []Statement {
	b := bucketArn(partition, bucket)
	fromOrg := Conditions{"StringEquals": {"aws:SourceOrgID": sources.OrganizationID}}
	statements := []Statement{
		allow("ConfigAclCheck", service("config.amazonaws.com"), []string{"s3:GetBucketAcl"}, []string{b}, fromOrg),
		allow("ConfigListBucket", service("config.amazonaws.com"), []string{"s3:ListBucket"}, []string{b}, fromOrg),
	}
	// ${aws:SourceAccount} resolves to the delivering account: each account
	// writes only under its own prefix, whether the accounts are listed or
	// admitted by organization (StackSet mode).
	write := allow("ConfigWrite", service("config.amazonaws.com"), []string{"s3:PutObject"},
		[]string{b + "/AWSLogs/${aws:SourceAccount}/Config/*"}, sources.writers())
	write.Condition["StringEquals"]["s3:x-amz-acl"] = "bucket-owner-full-control"
	statements = append(statements, write)
	if len(roleArns) > 0 {
		roles := rolePrincipals(roleArns, sources.OrganizationID)
		writeRoles := rolePrincipals(roleArns, sources.OrganizationID)
		writeRoles["StringEquals"]["s3:x-amz-acl"] = "bucket-owner-full-control"
		statements = append(statements,
			allow("RecorderRolesCheckBucket", "*", []string{"s3:GetBucketAcl", "s3:ListBucket"}, []string{b}, roles),
			allow("RecorderRolesWrite", "*", []string{"s3:PutObject"}, []string{b + "/AWSLogs/${aws:PrincipalAccount}/Config/*"}, writeRoles))
	}
	return statements
}

// configKeyStatements let AWS Config (or the custom recorder roles) encrypt
// snapshots for the organization's accounts.
func configKeyStatements(sources ConfigSources, roleArns []string) []Statement {
	statements := []Statement{allow("ConfigEncryptsSnapshots", service("config.amazonaws.com"),
		[]string{"kms:GenerateDataKey", "kms:Decrypt"}, []string{"*"}, sources.writers())}
	if len(roleArns) > 0 {
		statements = append(statements, allow("RecorderRolesEncrypt", "*",
			[]string{"kms:GenerateDataKey", "kms:Decrypt"}, []string{"*"}, rolePrincipals(roleArns, sources.OrganizationID)))
	}
	return statements
}
