package components

import (
	"slices"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// KeyArgs describes a customer managed KMS key.
type KeyArgs struct {
	Description string
	Alias       string // without the "alias/" prefix
	Partition   string
	AccountID   string // the account the key lives in; its root administers the key
	Statements  []Statement
}

// keyPolicy is the key's policy: the owning account administers and uses
// the key through IAM, and each service gets only the statements passed in.
// Grants are only for AWS resources (Control Tower proactive control
// CT.KMS.PR.3, condition key kms:GrantIsForAWSResource in the AWS KMS
// developer guide): an AWS service integrated with KMS creates grants for
// its own resources, but no principal can grant itself Decrypt. A statement
// passed in that allows kms:CreateGrant is split, its grant conditioned so.
func (a KeyArgs) keyPolicy() PolicyDocument {
	root := Principals{AWS: []string{accountRoot(a.Partition, a.AccountID)}}
	statements := []Statement{
		allow("AccountAdministersKeyThroughIAM", root, keyAdministration, []string{"*"}, nil),
		allow("AccountGrantsOnlyToAWSResources", root, []string{"kms:CreateGrant"}, []string{"*"}, grantsForAWSResources()),
	}
	for _, s := range a.Statements {
		if !slices.Contains(s.Action, "kms:CreateGrant") {
			statements = append(statements, s)
			continue
		}
		rest := s
		rest.Action = slices.DeleteFunc(slices.Clone(s.Action), func(a string) bool { return a == "kms:CreateGrant" })
		if len(rest.Action) > 0 {
			statements = append(statements, rest)
		}
		grant := s
		grant.Sid, grant.Action = s.Sid+"Grants", []string{"kms:CreateGrant"}
		grant.Condition = MergeConditions(s.Condition, grantsForAWSResources())
		statements = append(statements, grant)
	}
	return policy(statements...)
}

func grantsForAWSResources() Conditions {
	return Conditions{"Bool": {"kms:GrantIsForAWSResource": "true"}}
}

// keyAdministration is everything the key's account does with the key
// through IAM except creating grants: administration and use.
var keyAdministration = []string{
	"kms:CancelKeyDeletion", "kms:CreateAlias", "kms:Decrypt", "kms:DeleteAlias", "kms:Describe*", "kms:Disable*", "kms:Enable*",
	"kms:Encrypt", "kms:GenerateDataKey*", "kms:Get*", "kms:List*", "kms:PutKeyPolicy", "kms:ReEncrypt*", "kms:RetireGrant",
	"kms:RevokeGrant", "kms:RotateKeyOnDemand", "kms:ScheduleKeyDeletion", "kms:TagResource", "kms:UntagResource",
	"kms:UpdateAlias", "kms:UpdateKeyDescription",
}

// newKey creates a rotating customer managed key and its alias. Keys are
// retained on delete: destroying the stack must not make the logs
// unreadable. So are their aliases, by which a retained key is found (and
// scheduled for deletion when it protects nothing).
func newKey(ctx *pulumi.Context, name string, args KeyArgs, opts ...pulumi.ResourceOption) (*kms.Key, error) {
	opts = append(slices.Clone(opts), pulumi.RetainOnDelete(true))
	key, err := kms.NewKey(ctx, name, &kms.KeyArgs{
		Description:          pulumi.String(args.Description),
		EnableKeyRotation:    pulumi.Bool(true), // Security Hub KMS.4
		DeletionWindowInDays: pulumi.Int(30),
		Policy:               pulumi.String(args.keyPolicy().JSON()),
	}, opts...)
	if err != nil {
		return nil, err
	}
	_, err = kms.NewAlias(ctx, name+"-alias", &kms.AliasArgs{
		Name:        pulumi.String("alias/" + args.Alias),
		TargetKeyId: key.KeyId,
	}, opts...)
	return key, err
}
