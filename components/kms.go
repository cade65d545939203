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

// keyPolicy is the key's policy: the owning account administers the key
// through IAM, and each service gets only the statements passed in.
func (a KeyArgs) keyPolicy() PolicyDocument {
	admin := allow("AccountAdministersKeyThroughIAM",
		Principals{AWS: []string{accountRoot(a.Partition, a.AccountID)}},
		[]string{"kms:*"}, []string{"*"}, nil)
	return policy(append([]Statement{admin}, a.Statements...)...)
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
