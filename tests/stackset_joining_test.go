package tests

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// cfnResource is one resource of a region's stack as CloudFormation creates
// it: conditions evaluated, intrinsic functions resolved where they choose a
// value, and the logical IDs it waits for (DependsOn, Ref, Fn::GetAtt,
// ${...} in Fn::Sub).
type cfnResource struct {
	Type       string
	Properties map[string]any
	waitsFor   []string
}

// renderStack renders the stack a StackSet creates in one region of one
// account: the template with the StackSet's own parameters, since automatic
// deployment ignores parameter overrides ("Parameter overrides are only
// applied to stack instances in accounts that are already in the target
// OU", StackSets auto-deployment guide), and AWS::Region and AWS::AccountId
// as CloudFormation sets them.
func renderStack(t *testing.T, templateBody string, params map[string]any, region, accountID string) map[string]cfnResource {
	t.Helper()
	var tmpl struct {
		Parameters map[string]struct{ Default string }
		Conditions map[string]any
		Resources  map[string]struct {
			Type       string
			Condition  string
			DependsOn  any
			Properties map[string]any
		}
	}
	require.NoError(t, json.Unmarshal([]byte(templateBody), &tmpl))
	values := map[string]any{"AWS::Region": region, "AWS::AccountId": accountID, "AWS::Partition": "aws"}
	for name, p := range tmpl.Parameters {
		values[name] = p.Default
		if v, ok := params[name]; ok {
			values[name] = v
		}
	}
	var cond func(expr any) bool
	var resolve func(v any) any
	resolve = func(v any) any {
		switch v := v.(type) {
		case map[string]any:
			if ref, ok := v["Ref"].(string); ok && len(v) == 1 {
				if val, ok := values[ref]; ok {
					return val
				}
				return v // a resource: CloudFormation resolves it at create time
			}
			if branches, ok := v["Fn::If"].([]any); ok {
				if cond(map[string]any{"Condition": branches[0]}) {
					return resolve(branches[1])
				}
				return resolve(branches[2])
			}
			out := map[string]any{}
			for k, e := range v {
				out[k] = resolve(e)
			}
			return out
		case []any:
			var out []any
			for _, e := range v {
				out = append(out, resolve(e))
			}
			return out
		}
		return v
	}
	cond = func(expr any) bool {
		m, _ := expr.(map[string]any)
		switch {
		case m["Condition"] != nil:
			return cond(tmpl.Conditions[m["Condition"].(string)])
		case m["Fn::Equals"] != nil:
			args := m["Fn::Equals"].([]any)
			return fmt.Sprint(resolve(args[0])) == fmt.Sprint(resolve(args[1]))
		case m["Fn::And"] != nil:
			for _, e := range m["Fn::And"].([]any) {
				if !cond(e) {
					return false
				}
			}
			return true
		}
		t.Fatalf("condition %v is not one this renderer knows", expr)
		return false
	}
	out := map[string]cfnResource{}
	for id, r := range tmpl.Resources {
		if r.Condition != "" && !cond(map[string]any{"Condition": r.Condition}) {
			continue
		}
		props, _ := resolve(r.Properties).(map[string]any)
		res := cfnResource{Type: r.Type, Properties: props}
		switch d := r.DependsOn.(type) {
		case string:
			res.waitsFor = append(res.waitsFor, d)
		case []any:
			for _, e := range d {
				res.waitsFor = append(res.waitsFor, e.(string))
			}
		}
		res.waitsFor = append(res.waitsFor, references(props)...)
		out[id] = res
	}
	// A reference to a resource whose condition is false fails validation.
	for id, r := range out {
		for _, dep := range r.waitsFor {
			_, ok := out[dep]
			require.True(t, ok, "%s in %s refers to %s, which the stack does not have", id, region, dep)
		}
	}
	return out
}

// references are the logical IDs a resolved value refers to.
func references(v any) []string {
	var out []string
	switch v := v.(type) {
	case map[string]any:
		if ref, ok := v["Ref"].(string); ok && !strings.HasPrefix(ref, "AWS::") {
			out = append(out, ref)
		}
		if att, ok := v["Fn::GetAtt"].([]any); ok {
			out = append(out, att[0].(string))
		}
		if sub, ok := v["Fn::Sub"].(string); ok {
			for _, part := range strings.Split(sub, "${")[1:] {
				if name, _, _ := strings.Cut(part, "}"); !strings.HasPrefix(name, "AWS::") {
					out = append(out, name)
				}
			}
		}
		for k, e := range v {
			if k != "Ref" && k != "Fn::GetAtt" && k != "Fn::Sub" {
				out = append(out, references(e)...)
			}
		}
	case []any:
		for _, e := range v {
			out = append(out, references(e)...)
		}
	}
	return out
}

// waitsOn reports whether stack resource id waits, directly or not, for dep.
func waitsOn(stack map[string]cfnResource, id, dep string) bool {
	for _, d := range stack[id].waitsFor {
		if d == dep || waitsOn(stack, d, dep) {
			return true
		}
	}
	return false
}

// slrArn is AWSServiceRoleForConfig's ARN in an account.
func slrArn(accountID string) string {
	return "arn:aws:iam::" + accountID + ":role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig"
}

// createStack creates one region's stack in an account whose
// AWSServiceRoleForConfig exists (roleExists) or not, with what AWS does:
//   - CloudFormation creates resources that do not wait for each other in
//     parallel, in no set order ("DependsOn attribute", CloudFormation user
//     guide), so a recorder finds the role only if it existed when the stack
//     started or the recorder waits for what creates it;
//   - IAM refuses to create a service-linked role that exists
//     (CreateServiceLinkedRole: "Service role name AWSServiceRoleForConfig
//     has been taken in this account");
//   - AWS Config refuses a recorder whose role does not exist ("The role
//     does not exist in the account", landing-zone-accelerator issue 857);
//   - the baseline's custom resource makes the role exist, whether or not
//     it did (its function's behaviour: TestStackSetRoleFunctionHandler).
//
// It returns whether the role exists afterwards, or why the stack failed.
func createStack(stack map[string]cfnResource, accountID string, roleExists bool) (bool, error) {
	makesRole := map[string]bool{}
	for id, r := range stack {
		switch {
		case r.Type == "AWS::IAM::ServiceLinkedRole" && r.Properties["AWSServiceName"] == "config.amazonaws.com":
			if roleExists {
				return roleExists, fmt.Errorf("%s: Service role name AWSServiceRoleForConfig has been taken in this account", id)
			}
			makesRole[id] = true
		case strings.HasPrefix(r.Type, "Custom::"):
			fn := stack[references(r.Properties["ServiceToken"])[0]]
			code, _ := fn.Properties["Code"].(map[string]any)["ZipFile"].(string)
			if strings.Contains(code, `create_service_linked_role(AWSServiceName="config.amazonaws.com")`) {
				makesRole[id] = true
			}
		}
	}
	for id, r := range stack {
		if r.Type != "AWS::Config::ConfigurationRecorder" {
			continue
		}
		role, _ := r.Properties["RoleARN"].(map[string]any)["Fn::Sub"].(string)
		subs := []string{"${AWS::Partition}", "aws", "${AWS::AccountId}", accountID}
		for maker := range makesRole {
			if stack[maker].Type == "AWS::IAM::ServiceLinkedRole" {
				subs = append(subs, "${"+maker+"}", "AWSServiceRoleForConfig") // Ref gives the role's name
			}
		}
		if role = strings.NewReplacer(subs...).Replace(role); role != slrArn(accountID) {
			return roleExists, fmt.Errorf("%s records with %q, not the service-linked role", id, role)
		}
		waits := slices.ContainsFunc(slices.Collect(mapKeys(makesRole)), func(maker string) bool { return waitsOn(stack, id, maker) })
		if !roleExists && !waits {
			return roleExists, fmt.Errorf("%s: The role does not exist in the account", id)
		}
	}
	return roleExists || len(makesRole) > 0, nil
}

func mapKeys(m map[string]bool) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// permutations returns every order of regions.
func permutations(regions []string) [][]string {
	if len(regions) <= 1 {
		return [][]string{slices.Clone(regions)}
	}
	var out [][]string
	for i, first := range regions {
		rest := slices.Concat(regions[:i], regions[i+1:])
		for _, p := range permutations(rest) {
			out = append(out, append([]string{first}, p...))
		}
	}
	return out
}

// An account that joins a targeted OU gets its stacks from automatic
// deployment, which ignores the StackSet's region order, concurrency and
// parameter overrides (CloudFormation API reference,
// StackSetOperationPreferences: operation preferences apply to the
// operations they are passed to; StackSets auto-deployment guide: "Parameter
// overrides are only applied to stack instances in accounts that are
// already in the target OU"). The test renders what the joining account gets
// in each governed region from the StackSet as planned, creates those
// stacks in every order one after the other, and all at once, in an
// account without AWSServiceRoleForConfig and in one that has it: every
// stack succeeds, every region records with the service-linked role, the
// global types in the home region only, and the role exists afterwards.
func TestStackSetJoiningAccountEveryRegionOrder(t *testing.T) {
	t.Parallel()
	p := runPlan(t, loadStackFile(t, "../Pulumi.large.yaml"))
	ss := one(t, p, typeStackSet, "member-baseline")
	assert.Equal(t, true, input(ss, "autoDeployment.enabled"))
	params, _ := ss.Inputs["parameters"].(map[string]any)
	regions := input(ss, "operationPreferences.regionOrders").([]any)
	require.Len(t, regions, 4)
	const joining = "300000000099"
	stacks := map[string]map[string]cfnResource{}
	var names []string
	for _, r := range regions {
		region := r.(string)
		names = append(names, region)
		stacks[region] = renderStack(t, ss.Inputs["templateBody"].(string), params, region, joining)
		var recorder map[string]any
		for _, res := range stacks[region] {
			if res.Type == "AWS::Config::ConfigurationRecorder" {
				recorder = res.Properties
			}
		}
		require.NotNil(t, recorder, "%s records", region)
		group := recorder["RecordingGroup"].(map[string]any)
		assert.Equal(t, region == "us-east-1", group["IncludeGlobalResourceTypes"], "global types in the home region only: %s", region)
	}

	for _, had := range []bool{false, true} {
		for _, order := range permutations(names) {
			exists := had
			for _, region := range order {
				var err error
				exists, err = createStack(stacks[region], joining, exists)
				require.NoError(t, err, "role existed: %t; regions in order %v; %s failed", had, order, region)
			}
			assert.True(t, exists, "the role exists once the account is recorded")
		}
		for _, region := range names { // every region at once: each starts from the same account
			_, err := createStack(stacks[region], joining, had)
			require.NoError(t, err, "role existed: %t; all regions at once; %s failed", had, region)
		}
	}
}

// The custom resource's function may create and read AWSServiceRoleForConfig
// only, as the IAM user guide's "Service-linked role permissions" scopes a
// principal that creates one service's role (iam:CreateServiceLinkedRole on
// the role's ARN with the iam:AWSServiceName condition), and write its own
// logs; only Lambda, for this account, assumes it. Lambda runs it on a
// supported runtime (Security Hub Lambda.2) with a log group that keeps its
// logs for a year.
func TestStackSetRoleFunctionLeastPrivilege(t *testing.T) {
	t.Parallel()
	p := runPlan(t, loadStackFile(t, "../Pulumi.large.yaml"))
	stack := renderStack(t, one(t, p, typeStackSet, "member-baseline").Inputs["templateBody"].(string), nil, "us-west-2", "300000000099")
	role := stack["ConfigRoleFunctionRole"].Properties
	trust := role["AssumeRolePolicyDocument"].(map[string]any)["Statement"].([]any)
	require.Len(t, trust, 1)
	assert.Equal(t, map[string]any{"Service": "lambda.amazonaws.com"}, trust[0].(map[string]any)["Principal"])
	policies := role["Policies"].([]any)
	require.Len(t, policies, 1)
	slr := map[string]any{"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig"}
	logs := map[string]any{"Fn::GetAtt": []any{"ConfigRoleFunctionLogs", "Arn"}}
	granted := map[string]any{}
	for _, st := range policies[0].(map[string]any)["PolicyDocument"].(map[string]any)["Statement"].([]any) {
		st := st.(map[string]any)
		assert.Equal(t, "Allow", st["Effect"])
		for _, a := range st["Action"].([]any) {
			granted[a.(string)] = st["Resource"]
			if a == "iam:CreateServiceLinkedRole" {
				assert.Equal(t, map[string]any{"StringEquals": map[string]any{"iam:AWSServiceName": "config.amazonaws.com"}}, st["Condition"])
			}
		}
	}
	assert.Equal(t, map[string]any{
		"iam:CreateServiceLinkedRole": slr, "iam:AttachRolePolicy": slr, "iam:PutRolePolicy": slr, "iam:GetRole": slr,
		"logs:CreateLogStream": logs, "logs:PutLogEvents": logs,
	}, granted, "each action on the Config role or the function's own log group, nothing else")
	fn := stack["ConfigRoleFunction"].Properties
	assert.Equal(t, "python3.12", fn["Runtime"])
	assert.EqualValues(t, 365, stack["ConfigRoleFunctionLogs"].Properties["RetentionInDays"])
	assert.True(t, waitsOn(stack, "ConfigRecorder", "EnsureConfigServiceLinkedRole"))
	// Stacks deployed by earlier versions have an AWS::IAM::ServiceLinkedRole
	// (DeletionPolicy Retain) under this logical ID; CloudFormation refuses an
	// update that changes a resource's type ("Update of resource type is not
	// permitted"), so the custom resource has a logical ID of its own and the
	// old resource leaves the template, which keeps the role.
	_, reused := stack["ConfigServiceLinkedRole"]
	assert.False(t, reused)
}

// The function the custom resource runs, as the template carries it, run
// with stand-ins for boto3 and CloudFormation's cfnresponse module: it
// creates the role when it is missing, leaves an existing one alone, takes
// IAM's "has been taken" from a stack in another region that created it
// meanwhile as success (IAM API, CreateServiceLinkedRole: InvalidInput),
// reports success on delete without touching the role (the other regions'
// recorders use it), and fails the resource when the role never appears.
// Every outcome reaches CloudFormation: a custom resource that never
// answers holds the stack until it times out.
func TestStackSetRoleFunctionHandler(t *testing.T) {
	t.Parallel()
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 is not installed")
	}
	p := runPlan(t, loadStackFile(t, "../Pulumi.large.yaml"))
	stack := renderStack(t, one(t, p, typeStackSet, "member-baseline").Inputs["templateBody"].(string), nil, "us-east-1", "300000000099")
	code := stack["ConfigRoleFunction"].Properties["Code"].(map[string]any)["ZipFile"].(string)
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "index.py"), []byte(code), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "boto3.py"), []byte(standInBoto3), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "cfnresponse.py"), []byte(standInCfnResponse), 0o644))
	for _, tc := range []struct {
		name, request, scenario, status string
		creates                         int
	}{
		{"role missing", "Create", "missing", "SUCCESS", 1},
		{"role exists", "Create", "exists", "SUCCESS", 0},
		{"created meanwhile by another region", "Create", "race", "SUCCESS", 1},
		{"update", "Update", "exists", "SUCCESS", 0},
		{"delete", "Delete", "missing", "SUCCESS", 0},
		{"role never appears", "Create", "never", "FAILED", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cmd := exec.Command(python, "-c", `import time; time.sleep = lambda s: None
import index, json
index.handler({"RequestType": "`+tc.request+`"}, None)`)
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), "SCENARIO="+tc.scenario, "PYTHONDONTWRITEBYTECODE=1", "PYTHONPATH="+dir)
			out, err := cmd.CombinedOutput()
			require.NoError(t, err, "%s", out)
			var result struct {
				Status, PhysicalID string
				Creates            int
			}
			require.NoError(t, json.Unmarshal(out[strings.LastIndex(string(out[:len(out)-1]), "\n")+1:], &result), "%s", out)
			assert.Equal(t, tc.status, result.Status)
			assert.Equal(t, tc.creates, result.Creates, "CreateServiceLinkedRole calls")
			assert.Equal(t, "AWSServiceRoleForConfig", result.PhysicalID, "one physical ID: an update never replaces it")
		})
	}
}

// standInBoto3 is an IAM client whose role appears as SCENARIO says.
const standInBoto3 = `import os

class NoSuchEntityException(Exception):
    pass

class InvalidInputException(Exception):
    pass

class _Exceptions:
    NoSuchEntityException = NoSuchEntityException
    InvalidInputException = InvalidInputException

class _IAM:
    exceptions = _Exceptions
    creates = 0

    def __init__(self):
        self.scenario = os.environ["SCENARIO"]
        self.exists = self.scenario == "exists"

    def get_role(self, RoleName):
        assert RoleName == "AWSServiceRoleForConfig"
        if not self.exists:
            raise NoSuchEntityException(RoleName)
        return {"Role": {"RoleName": RoleName}}

    def create_service_linked_role(self, AWSServiceName):
        assert AWSServiceName == "config.amazonaws.com"
        _IAM.creates += 1
        if self.scenario == "race":
            self.exists = True
            raise InvalidInputException("Service role name AWSServiceRoleForConfig has been taken in this account")
        if self.scenario != "never":
            self.exists = True
        return {}

def client(name):
    assert name == "iam"
    return _IAM()
`

// standInCfnResponse prints what the function reports to CloudFormation.
const standInCfnResponse = `import json

SUCCESS = "SUCCESS"
FAILED = "FAILED"

def send(event, context, status, data, physical_id=None, noEcho=False, reason=None):
    import boto3
    print(json.dumps({"Status": status, "PhysicalID": physical_id, "Creates": boto3._IAM.creates}))
`
