package tests

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pulumi/pulumi/pkg/v3/display"
	"github.com/pulumi/pulumi/pkg/v3/resource/deploy"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"
)

// exampleStackFiles are the example stacks the repository ships: the tests
// that judge the examples judge exactly these. A team's own stack files
// beside them are judged by TestTeamStackFiles instead.
var exampleStackFiles = []string{"../Pulumi.brownfield.yaml", "../Pulumi.controltower.yaml", "../Pulumi.full.yaml", "../Pulumi.large.yaml", "../Pulumi.prod.yaml"}

// engineStackFiles are the stacks the engine tests run: every example stack
// file and a generated 50-account organization.
func engineStackFiles(t *testing.T) []string {
	t.Helper()
	data, err := yaml.Marshal(map[string]any{"config": scaleConfig(50, 2, "direct")})
	require.NoError(t, err)
	generated := filepath.Join(t.TempDir(), "Pulumi.org50.yaml")
	require.NoError(t, os.WriteFile(generated, data, 0o644))
	return append(slices.Clone(exampleStackFiles), generated)
}

// eachEngineStack runs test, in parallel, on a fresh engine stack of every
// engine stack file.
func eachEngineStack(t *testing.T, test func(t *testing.T, s *engineStack)) {
	t.Helper()
	for _, path := range engineStackFiles(t) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			t.Parallel()
			test(t, newEngineStack(t, path))
		})
	}
}

// lossSteps are the steps that would lose a stateful resource's data or
// identity (a replace of a fixed-name bucket fails outright; a retained one
// is orphaned with its logs).
var lossSteps = []display.StepOp{deploy.OpReplace, deploy.OpCreateReplacement, deploy.OpDeleteReplaced, deploy.OpDelete}

// requireNoStatefulLoss fails for any replace or delete of a stateful resource.
func requireNoStatefulLoss(t *testing.T, st steps) {
	t.Helper()
	for _, op := range lossSteps {
		for _, urn := range st[op] {
			assert.NotContains(t, statefulTypes, string(urn.Type()), "%s of %s: stateful resources are never replaced or deleted by a config change", op, urn)
		}
	}
}

// upAfterChange deploys s, applies change to its config and deploys again;
// it returns the second update's steps, having checked that no stateful
// resource was replaced or deleted.
func upAfterChange(t *testing.T, s *engineStack, change func(s *engineStack)) steps {
	t.Helper()
	_, err := s.up()
	require.NoError(t, err)
	change(s)
	up, err := s.up()
	require.NoError(t, err)
	requireNoStatefulLoss(t, up)
	return up
}

// preview, up, and a second up that is a no-op, for every example stack.
func TestEngineLifecycle(t *testing.T) {
	t.Parallel()
	eachEngineStack(t, requireLifecycle)
}

// requireLifecycle runs preview, up and a second up of s: the first preview
// only creates and imports, the update does what the preview showed, and
// the second up changes nothing.
func requireLifecycle(t *testing.T, s *engineStack) {
	preview, err := s.preview()
	require.NoError(t, err, "pulumi preview")
	for op := range preview {
		assert.Contains(t, []display.StepOp{deploy.OpCreate, deploy.OpImport, deploy.OpUpdate}, op, "a first preview only creates, and imports (and updates) what the stack adopts")
	}
	up, err := s.up()
	require.NoError(t, err, "pulumi up")
	assert.Equal(t, preview.of(deploy.OpCreate), up.of(deploy.OpCreate), "the preview shows every create the update makes")
	assert.Equal(t, preview.of(deploy.OpImport), up.of(deploy.OpImport), "and every import")
	for urn, n := range s.creates {
		assert.Equal(t, 1, n, "%s created once", urn)
	}
	for _, urn := range append(preview.of(deploy.OpUpdate), up.of(deploy.OpUpdate)...) {
		assert.Contains(t, up.of(deploy.OpImport), urn, "only an adopted resource is updated, to the stack's settings")
	}
	again, err := s.up()
	require.NoError(t, err, "second pulumi up")
	assert.Empty(t, again.changes(), "a second up is a no-op")
	assert.Len(t, again[deploy.OpSame], len(up[deploy.OpCreate])+len(up[deploy.OpImport]), "every resource is a same step")
}

// A config change makes exactly the expected steps, and never replaces or
// deletes a stateful resource.
func TestEngineConfigChanges(t *testing.T) {
	t.Parallel()
	perRegion := func(format string, regions ...string) []string {
		var out []string
		for _, r := range regions {
			out = append(out, strings.ReplaceAll(format, "<region>", r))
		}
		return out
	}
	cases := []struct {
		name   string
		change func(s *engineStack)
		want   []string
	}{
		{
			name: "account added",
			change: func(s *engineStack) {
				var accounts map[string]map[string]any
				s.get("accounts", &accounts)
				accounts["ops"] = map[string]any{"id": "666666666666"}
				s.set("accounts", accounts)
			},
			want: slices.Concat(
				perRegion("create aws-ops-<region>", "eu-west-1", "eu-west-2"),
				[]string{"create config-ops"},
				perRegion("create config-ops-<region>-delivery-channel", "eu-west-1"),
				perRegion("create config-ops-<region>-recorder", "eu-west-1"),
				perRegion("create config-ops-<region>-recorder-status", "eu-west-1"),
				perRegion("create config-ops-<region>-delivery-channel", "eu-west-2"),
				perRegion("create config-ops-<region>-recorder", "eu-west-2"),
				perRegion("create config-ops-<region>-recorder-status", "eu-west-2"),
				[]string{"create config-ops-service-linked-role"},
				// The Config bucket and key policies list the accounts that may write.
				[]string{"update config-bucket-key", "update config-bucket-policy"},
			),
		},
		{
			name:   "alert address added",
			change: func(s *engineStack) { s.set("alertEmails", []string{"security-alerts@example.com", "soc@example.com"}) },
			want: []string{"create alerts-email-1", "create delivery-failures-eu-west-1-email-1", "create delivery-failures-eu-west-2-email-1",
				"create security-alerts-eu-west-1-email-1", "create security-alerts-eu-west-2-email-1"},
		},
		{
			// S3 enables Object Lock on an existing versioned bucket through
			// its Object Lock configuration; the bucket itself stays.
			name: "Object Lock switched on",
			change: func(s *engineStack) {
				s.set("orgTrail", map[string]any{"objectLock": map[string]any{"mode": "GOVERNANCE", "days": 365}})
			},
			want: []string{"create orgtrail-bucket-object-lock"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := newEngineStack(t, "../Pulumi.prod.yaml")
			_, err := s.up()
			require.NoError(t, err)
			tc.change(s)
			preview, err := s.preview()
			require.NoError(t, err)
			up, err := s.up()
			require.NoError(t, err)
			assert.Equal(t, tc.want, up.changes())
			assert.Equal(t, up.changes(), preview.changes(), "the preview shows what the update does")
			requireNoStatefulLoss(t, up)
		})
	}
	for _, path := range engineStackFiles(t) {
		t.Run("governed region added/"+filepath.Base(path), func(t *testing.T) {
			t.Parallel()
			up := upAfterChange(t, newEngineStack(t, path), func(s *engineStack) {
				var regions []string
				s.get("governedRegions", &regions)
				s.set("governedRegions", append(regions, "ca-central-1"))
			})
			for _, change := range up.changes() {
				op, name, _ := strings.Cut(change, " ")
				switch op {
				case "create":
					assert.Contains(t, name, "ca-central-1", "only the new region's resources are created")
				case "update":
					// Security Hub's aggregator lists the regions it links; the
					// StackSet lists its region order; chat channels list each
					// region's topics; Security Lake's metastore and
					// replication roles name each region's key and bucket;
					// Macie's results bucket and key admit each region's Macie.
					if strings.HasPrefix(name, "chat-") {
						continue
					}
					assert.Contains(t, []string{"securityhub-finding-aggregator", "member-baseline", "member-baseline-core", "securitylake-replication-role-policy", "securitylake-metastore-role-keys", "macie-results-key", "macie-results-policy"}, name)
				case "replace", "delete-replaced", "create-replacement":
					// A Security Lake source lists its regions and is replaced
					// (TestEngineSecurityLakeRegionAdded).
					assert.True(t, strings.HasPrefix(name, "securitylake-"), "unexpected %s", change)
				default:
					t.Errorf("unexpected %s", change)
				}
			}
			assert.Contains(t, up.changes(), "create guardduty-ca-central-1-security-detector")
			assert.Contains(t, up.changes(), "create config-management-ca-central-1-recorder")
		})
		t.Run("account added/"+filepath.Base(path), func(t *testing.T) {
			t.Parallel()
			up := upAfterChange(t, newEngineStack(t, path), func(s *engineStack) {
				var accounts map[string]map[string]any
				s.get("accounts", &accounts)
				accounts["zz"] = map[string]any{"id": "699999999999", "email": "aws-zz@example.com"}
				s.set("accounts", accounts)
			})
			for _, change := range up.changes() {
				op, name, _ := strings.Cut(change, " ")
				switch op {
				case "create":
					assert.Regexp(t, `^(aws-zz-|config-zz($|-)|(detective|macie|inspector)-.*-member-699999999999$|guardduty-.*-zz-member$)`, name, "only the new account's provider, recorders and service memberships (GuardDuty's where Detective needs it)")
				case "update":
					// No organization rule or pack changes: the new account
					// gets a recorder, from the stack in direct mode and from
					// the StackSet in its OUs, so none excludes it.
					if strings.HasPrefix(name, "inspector-") && strings.HasSuffix(name, "-members") {
						continue // Inspector's enabler lists the member accounts
					}
					assert.Contains(t, []string{"config-bucket-key", "config-bucket-policy"}, name, "the Config policies list the accounts")
				default:
					t.Errorf("unexpected %s", change)
				}
			}
		})
	}
}

// The provider fails every create in one account on the first up: the
// engine reports it, the second up converges, nothing is created twice, and
// a third up is a no-op. The failing account is the security account, which
// every stack has.
func TestEnginePartialFailure(t *testing.T) {
	t.Parallel()
	eachEngineStack(t, func(t *testing.T, s *engineStack) {
		var accounts map[string]map[string]any
		s.get("accounts", &accounts)
		security := accounts["security"]["id"].(string)
		s.fail = func(account string) bool { return account == security }
		_, err := s.up()
		require.Error(t, err, "the engine reports the failed creates")
		assert.Contains(t, err.Error(), "stand-in: creates fail in account "+security)
		created := len(s.creates)

		s.fail = nil
		second, err := s.up()
		require.NoError(t, err, "the second up converges")
		assert.NotEmpty(t, second[deploy.OpCreate])
		assert.Greater(t, len(s.creates), created)
		for urn, n := range s.creates {
			assert.Equal(t, 1, n, "%s created exactly once over both updates", urn)
		}
		requireNoStatefulLoss(t, second)

		third, err := s.up()
		require.NoError(t, err)
		assert.Empty(t, third.changes(), "a third up is a no-op")
	})
}

// pulumi destroy leaves every log bucket, log group and key in place: the engine never
// asks the provider to delete a resource registered with RetainOnDelete,
// and every bucket and key is registered so.
func TestEngineDestroyRetainsLogsAndKeys(t *testing.T) {
	t.Parallel()
	eachEngineStack(t, func(t *testing.T, s *engineStack) {
		_, err := s.up()
		require.NoError(t, err)
		retained := map[string]bool{}
		for _, r := range s.snap.Resources {
			if r.RetainOnDelete {
				retained[string(r.URN)] = true
			}
		}
		require.NotEmpty(t, retained)
		_, err = s.destroy()
		require.NoError(t, err)
		require.NotEmpty(t, s.deletes, "destroy deleted the other resources through the provider")
		for urn := range s.deletes {
			assert.False(t, retained[string(urn)], "%s is RetainOnDelete but was deleted through the provider", urn)
			assert.NotContains(t, []string{typeBucket, typeKey, typeLogGroup}, string(urn.Type()), "destroy deleted %s: logs and the keys that decrypt them must survive", urn)
		}
	})
}

// A secret alert address reaches the subscription as a secret: the engine
// stores it encrypted, never as plain text in the state.
func TestEngineSecretAddressesStaySecret(t *testing.T) {
	t.Parallel()
	s := newEngineStack(t, "../Pulumi.prod.yaml")
	s.setSecret("alertEmails", `["security-alerts@example.com"]`)
	_, err := s.up()
	require.NoError(t, err)
	for _, name := range []string{"alerts-email-0", "security-alerts-eu-west-2-email-0"} {
		sub := s.state(typeSubscription, name)
		endpoint := sub.Inputs["endpoint"]
		assert.True(t, endpoint.IsSecret(), "%s endpoint is a secret in the state", name)
		if endpoint.IsSecret() {
			assert.Equal(t, "security-alerts@example.com", endpoint.SecretValue().Element.StringValue())
		}
	}
}

// AWS Config: organization rules and conformance packs are deployed to
// every account of the organization that is not excluded, and fail in an
// account without a recorder ("Ensure AWS Config recording is on before you
// use the following APIs", config-rule-multi-account-deployment; the
// provider waits for CREATE_SUCCESSFUL). Every organization account the stack
// gives no recorder is excluded, read from the organization at deploy time.
func TestEngineRulesExcludeAccountsWithoutRecorder(t *testing.T) {
	t.Parallel()
	const unlisted = "777777777777"
	s := newEngineStack(t, "../Pulumi.prod.yaml")
	s.orgExtra = []string{unlisted}
	_, err := s.up()
	require.NoError(t, err)
	excluded := func(s *engineStack, typ, name string) []string {
		var ids []string
		for _, v := range s.state(typ, name).Inputs["excludedAccounts"].ArrayValue() {
			ids = append(ids, v.StringValue())
		}
		return ids
	}
	for _, rule := range []string{"config-org-eu-west-1-restricted-ssh", "config-org-eu-west-2-restricted-ssh"} {
		assert.Equal(t, []string{unlisted}, excluded(s, typeOrganizationManagedRule, rule), "%s excludes exactly the account without a recorder", rule)
	}
	assert.Equal(t, []string{unlisted}, excluded(s, typeOrganizationConformancePack, "config-org-pack"))

	// In StackSet mode the OUs' accounts get their recorders from the
	// StackSet, listed under accounts (for routing) or not; every other
	// account of the organization, listed or not, has none and is excluded.
	t.Run("StackSet mode", func(t *testing.T) {
		t.Parallel()
		s := newEngineStack(t, "../Pulumi.large.yaml")
		const inOU, outside = "810000000001", "820000000002"
		const listedInOU, listedOutside = "830000000003", "840000000004"
		var accounts map[string]map[string]any
		s.get("accounts", &accounts)
		accounts["payments"] = map[string]any{"id": listedInOU, "email": "aws-payments@example.com"}
		accounts["legacy"] = map[string]any{"id": listedOutside, "email": "aws-legacy@example.com"}
		s.set("accounts", accounts)
		s.listedOutsideOUs = []string{listedOutside}
		s.orgExtra = []string{inOU} // the OUs' accounts; the organization holds both
		s.orgExtraOutsideOUs = []string{outside}
		_, err := s.up()
		require.NoError(t, err)
		want := []string{outside, listedOutside}
		slices.Sort(want)
		for _, region := range []string{"us-east-1", "us-west-2"} {
			assert.Equal(t, want, excluded(s, typeOrganizationManagedRule, "config-org-"+region+"-restricted-ssh"),
				"accounts outside the StackSet's OUs, listed or not, are excluded; the OUs' accounts, listed or not, get a recorder from the StackSet")
		}
		assert.Equal(t, want, excluded(s, typeOrganizationConformancePack, "config-org-pack"))
	})
}

// With no securityHub.targets the configuration policy applies to the
// organization root, read from the organization.
func TestEngineSecurityHubDefaultsToTheRoot(t *testing.T) {
	t.Parallel()
	s := newEngineStack(t, "../Pulumi.prod.yaml")
	s.set("securityHub", map[string]any{})
	_, err := s.up()
	require.NoError(t, err)
	assoc := s.state(typeNativeSecurityHubPolicyAssociation, "securityhub-association-root")
	assert.Equal(t, standInRoot, assoc.Inputs["targetId"].StringValue())
	assert.Equal(t, "ROOT", assoc.Inputs["targetType"].StringValue())
}

// The engine path of main.go: the built binary, started as the Go language
// host starts it (PULUMI_MONITOR, PULUMI_ENGINE, PULUMI_PROJECT,
// PULUMI_STACK, PULUMI_CONFIG, PULUMI_CONFIG_SECRET_KEYS, PULUMI_DRY_RUN),
// previews and deploys the same resources as the program in this process,
// and keeps a secret address secret.
func TestEngineRunsTheBuiltBinary(t *testing.T) {
	t.Parallel()
	bin := filepath.Join(t.TempDir(), "landing-zone-audit")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Dir = ".."
	out, err := build.CombinedOutput()
	require.NoError(t, err, "%s", out)

	version, err := exec.Command(bin, "version").Output()
	require.NoError(t, err)
	for _, sdk := range []string{"github.com/pulumi/pulumi/sdk/v3 v3.274.1", "github.com/pulumi/pulumi-aws/sdk/v6 v6.83.4", "github.com/pulumi/pulumi-aws-native/sdk v1.38.0"} {
		assert.Contains(t, string(version), sdk, "version names the SDKs the binary is built with")
	}

	inProcess := newEngineStack(t, "../Pulumi.prod.yaml")
	want, err := inProcess.up()
	require.NoError(t, err)

	s := newEngineStack(t, "../Pulumi.prod.yaml")
	s.run = s.binary(bin)
	s.setSecret("alertEmails", `["security-alerts@example.com"]`)
	preview, err := s.preview()
	require.NoError(t, err)
	assert.Equal(t, want.of(deploy.OpCreate), preview.of(deploy.OpCreate))
	up, err := s.up()
	require.NoError(t, err)
	assert.Equal(t, want.of(deploy.OpCreate), up.of(deploy.OpCreate), "the binary registers what the program does in process")
	assert.True(t, s.state(typeSubscription, "alerts-email-0").Inputs["endpoint"].IsSecret())
	again, err := s.up()
	require.NoError(t, err)
	assert.Empty(t, again.changes())

	t.Run("bad configuration", func(t *testing.T) {
		s := newEngineStack(t, "../Pulumi.prod.yaml")
		s.run = s.binary(bin)
		s.set("resourcePrefix", "Bad Prefix")
		_, err := s.preview()
		require.Error(t, err)
		assert.Contains(t, err.Error(), "landing-zone-audit:resourcePrefix:", "the binary names the key")
	})
}

// AWS Organizations refuses to register an account that already is the
// delegated administrator (AccountAlreadyRegisteredException) and, for a
// service that takes one, another account while one is registered
// (ConstraintViolationException, DELEGATED_ADMINISTRATOR_EXISTS_FOR_THIS_SERVICE;
// API_RegisterDelegatedAdministrator). The program reads the registrations
// first: an existing one of the security account is imported, not created,
// and another account's stops the preview with the fix.
func TestEngineExistingDelegatedAdministrators(t *testing.T) {
	t.Parallel()
	t.Run("security already registered", func(t *testing.T) {
		t.Parallel()
		s := newEngineStack(t, "../Pulumi.prod.yaml")
		s.delegatedAdmins = map[string][]string{"access-analyzer.amazonaws.com": {prodSecurityID}, "config.amazonaws.com": {prodSecurityID}}
		up, err := s.up()
		require.NoError(t, err)
		imported := up.of(deploy.OpImport)
		require.Len(t, imported, 2)
		for _, urn := range imported {
			assert.Equal(t, 0, s.creates[resource.URN(urn)], "%s adopted, not created", urn)
			assert.Equal(t, 1, s.reads[resource.URN(urn)], "%s read from the provider", urn)
		}
		assert.Contains(t, up.of(deploy.OpCreate), string(s.state(typeDelegatedAdministrator, "config-aggregator-config-multiaccountsetup.amazonaws.com").URN))
		again, err := s.up()
		require.NoError(t, err)
		assert.Empty(t, again.changes(), "the adopted registrations need no change")
	})
	t.Run("another account registered", func(t *testing.T) {
		t.Parallel()
		s := newEngineStack(t, "../Pulumi.prod.yaml")
		s.delegatedAdmins = map[string][]string{"access-analyzer.amazonaws.com": {"999999999999"}}
		_, err := s.preview()
		require.Error(t, err)
		assert.Contains(t, err.Error(), "access-analyzer.amazonaws.com already has delegated administrator [999999999999], not the security account "+prodSecurityID+": deregister it first")
	})
}

// A configuration the deploy goes ahead with but should know about reaches
// `pulumi preview` as a warning the program logs to the engine
// (ctx.Log.Warn, the engine's Log RPC): a suppression about to expire,
// judged here by what the engine's host prints.
func TestEnginePreviewWarns(t *testing.T) {
	t.Parallel()
	s := newEngineStack(t, "../Pulumi.prod.yaml")
	soon := time.Now().UTC().AddDate(0, 0, 5).Format(time.DateOnly)
	s.set("suppressions", []any{map[string]any{"name": "soon", "reason": "r", "expires": soon, "securityHubControls": []string{"EC2.19"}}})
	_, err := s.preview()
	require.NoError(t, err)
	s.mu.Lock()
	defer s.mu.Unlock()
	assert.Contains(t, s.log, "warning: landing-zone-audit:suppressions[0]: soon expires on "+soon, "preview prints the program's warning")
}
