package tests

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/blang/semver"
	"github.com/pulumi/pulumi/pkg/v3/display"
	"github.com/pulumi/pulumi/pkg/v3/engine"
	"github.com/pulumi/pulumi/pkg/v3/pluginstorage"
	pkgresource "github.com/pulumi/pulumi/pkg/v3/resource"
	"github.com/pulumi/pulumi/pkg/v3/resource/deploy"
	"github.com/pulumi/pulumi/pkg/v3/resource/deploy/deploytest"
	"github.com/pulumi/pulumi/pkg/v3/resource/plugin"
	"github.com/pulumi/pulumi/pkg/v3/secrets/b64"
	"github.com/pulumi/pulumi/pkg/v3/util/cancel"
	"github.com/pulumi/pulumi/sdk/v3/go/common/diag"
	"github.com/pulumi/pulumi/sdk/v3/go/common/diag/colors"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	pulumiconfig "github.com/pulumi/pulumi/sdk/v3/go/common/resource/config"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/require"

	"github.com/example/landing-zone-audit/config"
	"github.com/example/landing-zone-audit/internal/program"
	"github.com/example/landing-zone-audit/internal/stackfile"
)

// The provider versions the program's SDKs ask the engine for (go.mod).
var (
	awsVersion    = semver.MustParse("6.83.4")
	nativeVersion = semver.MustParse("1.38.0")
)

// engineStack is a stack run by Pulumi's own deployment engine
// (pkg/v3/engine), the way Pulumi's engine/lifecycletest suite runs Go SDK
// programs: deploytest.NewLanguageRuntimeF runs the program with
// pulumi.RunWithContext on the monitor address the engine gives it, and
// deploytest providers stand in for aws and aws-native. The stand-ins echo
// inputs and assign IDs; they assert nothing about AWS. What the engine does
// with the program — URNs, parents, providers, dependencies, options,
// outputs, step plans — is Pulumi's own behaviour.
type engineStack struct {
	t       testing.TB
	project *workspace.Project
	name    tokens.StackName
	config  pulumiconfig.Map
	snap    *deploy.Snapshot
	// run starts the program; it defaults to the program in this process.
	run deploytest.ProgramFunc
	// engineAddr is the engine's address in the running operation.
	engineAddr string

	mu      sync.Mutex
	fail    func(accountID string) bool // the stand-ins fail creates in these accounts
	creates map[resource.URN]int        // successful provider creates per URN, over every operation
	deletes map[resource.URN]int        // provider deletes per URN
	reads   map[resource.URN]int        // provider reads (imports) per URN
	calls   []string                    // "create URN" and "delete URN", in the order the providers saw them
	started int                         // provider plugin instances, in the last operation
	// orgExtra are the organization's accounts besides those the stack lists
	// (in StackSet mode: accounts in the StackSet's OUs).
	orgExtra []string
	// orgExtraOutsideOUs are further accounts, outside every OU the stack names.
	orgExtraOutsideOUs []string
	// listedOutsideOUs are listed member accounts outside every OU the stack
	// names; the OUs hold every other listed member (a team lists members
	// for routing, and they sit in the OUs the StackSet targets).
	listedOutsideOUs []string
	// delegatedAdmins are the accounts already registered per service principal.
	delegatedAdmins map[string][]string
	// existing are resources that exist before the stack, by ID: what the
	// stand-in's Read reports for an import of that ID.
	existing map[resource.ID]resource.PropertyMap
	// log is what the program logged to the engine's host in the last
	// operation (ctx.Log), as preview prints it.
	log string
	// policiesElsewhere are the names of organization policies attached to
	// a target (root, OU or account ID) besides FullAWSAccess and the
	// stack's own; policyTypesOff are the policy types not enabled on the
	// root; ous are the organization's OUs.
	policiesElsewhere map[string][]string
	policyTypesOff    []string
	ous               []string
	// policyLookups counts the stack's own policies the stand-in reported
	// attached (getPoliciesForTarget).
	policyLookups int
}

// newEngineStack loads a stack file with Pulumi's loaders for the engine.
func newEngineStack(t testing.TB, path string) *engineStack {
	t.Helper()
	name, ok := stackfile.StackName(path)
	require.True(t, ok)
	projectPath, err := stackfile.ProjectFile(path)
	require.NoError(t, err)
	st, err := stackfile.Load(projectPath, path, name, io.Discard)
	require.NoError(t, err)
	// A secret is read as the offline plan reads it (config.SecretPlaceholder:
	// neither the passphrase nor the cloud key is here) and stored again
	// under the base64 secrets manager the engine tests use.
	cfg := pulumiconfig.Map{}
	for k, v := range st.Config {
		if v.Secure() {
			v, err = v.Copy(pulumiconfig.NewBlindingDecrypter(), b64.NewBase64SecretsManager().Encrypter())
			require.NoError(t, err, "%s: %s", path, k)
		}
		cfg[k] = v
	}
	s := &engineStack{
		t: t, project: st.Project, name: tokens.MustParseStackName(name), config: cfg,
		creates: map[resource.URN]int{}, deletes: map[resource.URN]int{}, reads: map[resource.URN]int{},
	}
	s.run = s.inProcess
	// Security Lake's administrator is designated by hand before the first
	// up (no provider has a resource for it); the stand-in organization has
	// it done for the log-archive account.
	var accounts map[string]map[string]any
	s.get("accounts", &accounts)
	if id, ok := accounts["logArchive"]["id"].(string); ok {
		s.delegatedAdmins = map[string][]string{"securitylake.amazonaws.com": {id}}
	}
	return s
}

// set replaces one key of the stack's config (without namespace) with value,
// as `pulumi config set --path` would store it.
func (s *engineStack) set(key string, value any) {
	k := pulumiconfig.MustMakeKey(s.project.Name.String(), key)
	if str, ok := value.(string); ok {
		s.config[k] = pulumiconfig.NewValue(str)
		return
	}
	b, err := json.Marshal(value)
	require.NoError(s.t, err)
	s.config[k] = pulumiconfig.NewObjectValue(string(b))
}

// setSecret stores a list of strings with every item a secret, as
// `pulumi config set --secret --path 'key[0]'` does; the base64 secrets
// manager the engine tests use encrypts by encoding.
func (s *engineStack) setSecret(key, jsonList string) {
	var items []string
	require.NoError(s.t, json.Unmarshal([]byte(jsonList), &items))
	var secure []map[string]string
	for _, it := range items {
		secure = append(secure, map[string]string{"secure": base64.StdEncoding.EncodeToString([]byte(it))})
	}
	b, err := json.Marshal(secure)
	require.NoError(s.t, err)
	s.config[pulumiconfig.MustMakeKey(s.project.Name.String(), key)] = pulumiconfig.NewSecureObjectValue(string(b))
}

// get decodes one key of the stack's config into v.
func (s *engineStack) get(key string, v any) {
	k := pulumiconfig.MustMakeKey(s.project.Name.String(), key)
	val, ok := s.config[k]
	require.True(s.t, ok, "no config key %s", key)
	text, err := val.Value(pulumiconfig.NopDecrypter)
	require.NoError(s.t, err)
	require.NoError(s.t, json.Unmarshal([]byte(text), v))
}

// inProcess runs the program in this process, as the Go language host would
// run the built binary: the configuration comes from the engine's RunInfo.
func (s *engineStack) inProcess(info plugin.RunInfo, _ *deploytest.ResourceMonitor) error {
	src := config.Source{Project: info.Project, Values: map[string]string{}}
	for k, v := range info.Config {
		src.Values[k.String()] = v
	}
	for _, k := range info.ConfigSecretKeys {
		src.Secret = append(src.Secret, k.String())
	}
	//nolint:usetesting // the SDK context outlives the test's context
	ctx, err := pulumi.NewContext(context.Background(), pulumi.RunInfo{
		Project: info.Project, Stack: info.Stack, Parallel: info.Parallel, DryRun: info.DryRun,
		MonitorAddr: info.MonitorAddress, EngineAddr: s.engineAddr, Config: src.Values, ConfigSecretKeys: src.Secret,
	})
	if err != nil {
		return err
	}
	return pulumi.RunWithContext(ctx, program.Program(src))
}

// binary runs the built program as the Go language host runs it: a process
// that finds the engine, the stack and its configuration in the environment.
func (s *engineStack) binary(path string) deploytest.ProgramFunc {
	return func(info plugin.RunInfo, _ *deploytest.ResourceMonitor) error {
		values := map[string]string{}
		for k, v := range info.Config {
			values[k.String()] = v
		}
		secret := []string{}
		for _, k := range info.ConfigSecretKeys {
			secret = append(secret, k.String())
		}
		valuesJSON, err := json.Marshal(values)
		if err != nil {
			return err
		}
		secretJSON, err := json.Marshal(secret)
		if err != nil {
			return err
		}
		// A program that never connects must fail the test, not stall it.
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, path)
		cmd.Env = append(os.Environ(),
			pulumi.EnvMonitor+"="+info.MonitorAddress,
			pulumi.EnvEngine+"="+s.engineAddr,
			pulumi.EnvProject+"="+info.Project,
			pulumi.EnvStack+"="+info.Stack,
			pulumi.EnvConfig+"="+string(valuesJSON),
			pulumi.EnvConfigSecretKeys+"="+string(secretJSON),
			pulumi.EnvDryRun+"="+strconv.FormatBool(info.DryRun),
			pulumi.EnvParallel+"="+strconv.Itoa(int(info.Parallel)),
		)
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("%s: %w\n%s", path, err, out)
		}
		return nil
	}
}

// stepCounts are the engine's steps of one operation, by operation.
type steps map[display.StepOp][]resource.URN

// of returns the URNs of op, sorted.
func (st steps) of(op display.StepOp) []string {
	var out []string
	for _, u := range st[op] {
		out = append(out, string(u))
	}
	slices.Sort(out)
	return out
}

// changes returns every step that is not a same, as "op name" lines.
func (st steps) changes() []string {
	var out []string
	for op, urns := range st {
		if op == deploy.OpSame {
			continue
		}
		for _, u := range urns {
			out = append(out, fmt.Sprintf("%s %s", op, u.Name()))
		}
	}
	slices.Sort(out)
	return out
}

// operation is one engine operation.
type operation func(engine.UpdateInfo, *engine.Context, engine.UpdateOptions, bool) (*deploy.Plan, display.ResourceChanges, error)

// preview runs `pulumi preview`.
func (s *engineStack) preview() (steps, error) {
	st, _, err := s.do(engine.Update, true)
	return st, err
}

// up runs `pulumi up` and keeps the resulting state, even after a failure.
func (s *engineStack) up() (steps, error) {
	st, snap, err := s.do(engine.Update, false)
	s.snap = snap
	return st, err
}

// destroy runs `pulumi destroy`.
func (s *engineStack) destroy() (steps, error) {
	st, snap, err := s.do(engine.Destroy, false)
	s.snap = snap
	return st, err
}

func (s *engineStack) do(op operation, dryRun bool) (steps, *deploy.Snapshot, error) {
	s.t.Helper()
	s.mu.Lock()
	s.started = 0
	s.mu.Unlock()
	runtime := deploytest.NewLanguageRuntimeF(s.run)
	var logs bytes.Buffer // what the program logs to the engine
	sink := diag.DefaultSink(&logs, &logs, diag.FormatOptions{Color: colors.Never})
	host := &closeOnce{Host: deploytest.NewPluginHostF(sink, sink, runtime, nil, nil,
		deploytest.NewProviderLoader("aws", awsVersion, s.newProvider),
		deploytest.NewProviderLoader("aws-native", nativeVersion, s.newProvider),
	)()}
	defer host.Close()
	s.engineAddr = host.ServerAddr()

	var base *deploy.Snapshot
	if s.snap != nil {
		// The engine may change the snapshot it is given, even in a preview.
		base = cloneSnapshot(s.t, s.snap)
	}
	target := deploy.Target{
		Name: s.name, Config: maps.Clone(s.config), Decrypter: b64.NewBase64SecretsManager().Decrypter(), Snapshot: base,
	}
	root, err := filepath.Abs("..")
	require.NoError(s.t, err)
	info := engine.UpdateInfo{Root: root, Project: s.project, Target: &target}

	cancelCtx, cancelSrc := cancel.NewContext(context.Background())
	defer cancelSrc.Terminate()
	events := make(chan engine.Event)
	collected := make(chan steps)
	go func() {
		st := steps{}
		for e := range events {
			if e.Type == engine.ResourcePreEvent {
				m := e.Payload().(engine.ResourcePreEventPayload).Metadata
				st[m.Op] = append(st[m.Op], m.URN)
			}
		}
		collected <- st
	}()
	journal := engine.NewTestJournal()
	ctx := &engine.Context{Cancel: cancelCtx, Events: events, PluginManager: nopPluginManager{}}
	if !dryRun {
		ctx.SnapshotManager = journal
	}
	opts := engine.UpdateOptions{
		Parallel: 16,
		HostFactory: func(context.Context, diag.Sink, diag.Sink, plugin.DebugContext) (plugin.Host, error) {
			return host, nil
		},
	}
	_, _, opErr := op(info, ctx, opts, dryRun)
	s.mu.Lock()
	s.log = logs.String()
	s.mu.Unlock()
	if opErr != nil && logs.Len() > 0 {
		opErr = fmt.Errorf("%w\nprogram log:\n%s", opErr, logs.String())
	}
	close(events)
	st := <-collected
	if dryRun {
		return st, s.snap, opErr
	}
	require.NoError(s.t, journal.Close())
	snap, err := journal.Entries().Snap(base)
	require.NoError(s.t, err)
	require.NoError(s.t, snap.VerifyIntegrity(), "the engine's snapshot after the operation is consistent")
	return st, snap, opErr
}

// closeOnce lets the engine and the harness both close the plugin host. The
// engine closes the host HostFactory gives it on a goroutine of its own once
// the operation's context terminates (pkg/engine deployment.go), and
// deploytest's Close, called twice at once, can block forever; the second
// caller here waits for the first instead.
type closeOnce struct {
	plugin.Host
	once sync.Once
	err  error
}

func (h *closeOnce) Close() error {
	h.once.Do(func() { h.err = h.Host.Close() })
	return h.err
}

func cloneSnapshot(t testing.TB, snap *deploy.Snapshot) *deploy.Snapshot {
	t.Helper()
	out := *snap
	out.Resources = make([]*pkgresource.State, len(snap.Resources))
	for i, r := range snap.Resources {
		out.Resources[i] = r.Copy()
	}
	out.PendingOperations = slices.Clone(snap.PendingOperations)
	return &out
}

// replacedOnChange lists, for the stateful types, the inputs whose change
// makes the real provider replace the resource. They come from the upstream
// Terraform AWS provider (hashicorp/terraform-provider-aws, which pulumi-aws
// v6 bridges), where each is ForceNew: internal/service/s3/bucket.go
// (bucket, bucket_prefix, object_lock_enabled), kms/key.go (key_usage,
// customer_master_key_spec, multi_region), cloudtrail/trail.go (name),
// configservice/configuration_recorder.go and delivery_channel.go (name),
// logs/group.go (name), cloudformation/stack_set.go (name,
// permission_model), iam/role.go (name, path), sns/topic.go (name,
// fifo_topic), sns/topic_subscription.go (endpoint, protocol, topic_arn),
// securitylake/aws_log_source.go (source: every field RequiresReplace),
// macie2/member.go (email), detective/member.go (email_address),
// securitylake/data_lake.go (meta_store_manager_role_arn).
// GuardDuty detectors have none.
var replacedOnChange = map[string][]string{
	typeBucket:          {"bucket", "bucketPrefix", "objectLockEnabled"},
	typeKey:             {"keyUsage", "customerMasterKeySpec", "multiRegion"},
	typeTrail:           {"name"},
	typeRecorder:        {"name"},
	typeDeliveryChannel: {"name"},
	typeLogGroup:        {"name", "namePrefix"},
	typeStackSet:        {"name", "permissionModel"},
	typeRole:            {"name", "path"},
	typeTopic:           {"name", "fifoTopic"},
	typeSubscription:    {"endpoint", "protocol", "topic"},
	typeLogSource:       {"source"},
	typeMacieMember:     {"email"},
	typeDetectiveMember: {"emailAddress"},
	typeDataLake:        {"metaStoreManagerRoleArn"},
}

// newProvider starts one stand-in provider instance: one plugin process at
// `pulumi up`. It learns its account from the configuration the engine
// passes (allowedAccountIds, as every provider of this program is pinned).
func (s *engineStack) newProvider() (plugin.Provider, error) {
	s.mu.Lock()
	s.started++
	s.mu.Unlock()
	var account, region string
	return &deploytest.Provider{
		ConfigureF: func(_ context.Context, req plugin.ConfigureRequest) (plugin.ConfigureResponse, error) {
			inputs := resource.ToResourcePropertyMap(req.Inputs)
			if v, ok := inputs["region"]; ok && v.IsString() {
				region = v.StringValue()
			}
			if v, ok := inputs["allowedAccountIds"]; ok {
				var ids []string
				if v.IsString() { // providers receive nested inputs as JSON text
					_ = json.Unmarshal([]byte(v.StringValue()), &ids)
				} else if v.IsArray() && len(v.ArrayValue()) > 0 {
					ids = []string{v.ArrayValue()[0].StringValue()}
				}
				if len(ids) > 0 {
					account = ids[0]
				}
			}
			return plugin.ConfigureResponse{}, nil
		},
		DiffF: func(_ context.Context, req plugin.DiffRequest) (plugin.DiffResponse, error) {
			news, olds := resource.ToResourcePropertyMap(req.NewInputs), resource.ToResourcePropertyMap(req.OldInputs)
			if news.DeepEquals(olds) {
				return plugin.DiffResponse{Changes: plugin.DiffNone}, nil
			}
			var changed, replace []resource.PropertyKey
			for _, k := range olds.Diff(news).ChangedKeys() {
				changed = append(changed, k)
				if slices.Contains(replacedOnChange[string(req.URN.Type())], string(k)) {
					replace = append(replace, k)
				}
			}
			return plugin.DiffResponse{Changes: plugin.DiffSome, ChangedKeys: changed, ReplaceKeys: replace}, nil
		},
		CreateF: func(_ context.Context, req plugin.CreateRequest) (plugin.CreateResponse, error) {
			id := resource.ID(fmt.Sprintf("%s-%s", req.URN.Name(), region))
			if req.Preview {
				return plugin.CreateResponse{Properties: req.Properties, Status: resource.StatusOK}, nil
			}
			s.mu.Lock()
			defer s.mu.Unlock()
			if s.fail != nil && s.fail(account) {
				return plugin.CreateResponse{}, fmt.Errorf("stand-in: creates fail in account %s", account)
			}
			s.creates[req.URN]++
			s.calls = append(s.calls, "create "+string(req.URN))
			props := withOutputs(req.URN, resource.ToResourcePropertyMap(req.Properties), account, region)
			return plugin.CreateResponse{ID: id, Properties: resource.FromResourcePropertyMap(props), Status: resource.StatusOK}, nil
		},
		UpdateF: func(_ context.Context, req plugin.UpdateRequest) (plugin.UpdateResponse, error) {
			props := withOutputs(req.URN, resource.ToResourcePropertyMap(req.NewInputs), account, region)
			return plugin.UpdateResponse{Properties: resource.FromResourcePropertyMap(props), Status: resource.StatusOK}, nil
		},
		// Read is how `pulumi import` adopts what exists: the stand-in reports
		// the resource as it was asked for, with the requested ID.
		ReadF: func(_ context.Context, req plugin.ReadRequest) (plugin.ReadResponse, error) {
			s.mu.Lock()
			s.reads[req.URN]++
			s.mu.Unlock()
			inputs := req.Inputs
			state := withOutputs(req.URN, resource.ToResourcePropertyMap(req.Inputs), account, region)
			existing, ok := s.existing[req.ID]
			if !ok && len(req.Inputs.AsMap()) == 0 && slices.Contains([]string{typeRecorder, typeDeliveryChannel}, string(req.URN.Type())) {
				// A recorder's and a delivery channel's ID is its name
				// (terraform-provider-aws reads the name from the ID).
				existing, ok = resource.NewPropertyMapFromMap(map[string]any{"name": string(req.ID)}), true
			}
			if ok {
				inputs = resource.FromResourcePropertyMap(existing)
				state = withOutputs(req.URN, existing, account, region)
			} else if len(req.State.AsMap()) > 0 {
				state = resource.ToResourcePropertyMap(req.State)
			}
			props := resource.FromResourcePropertyMap(state)
			return plugin.ReadResponse{ReadResult: plugin.ReadResult{ID: req.ID, Inputs: &inputs, Outputs: &props}, Status: resource.StatusOK}, nil
		},
		DeleteF: func(_ context.Context, req plugin.DeleteRequest) (plugin.DeleteResponse, error) {
			s.mu.Lock()
			s.deletes[req.URN]++
			s.calls = append(s.calls, "delete "+string(req.URN))
			s.mu.Unlock()
			return plugin.DeleteResponse{Status: resource.StatusOK}, nil
		},
		InvokeF: func(_ context.Context, req plugin.InvokeRequest) (plugin.InvokeResponse, error) {
			if target := resource.ToResourcePropertyMap(req.Args)["targetId"]; req.Tok == tokenGetPoliciesForTarget && !s.isTarget(target.StringValue()) {
				// Organizations answers ListPoliciesForTarget for an ID outside the organization with TargetNotFoundException.
				return plugin.InvokeResponse{}, fmt.Errorf("TargetNotFoundException: %s", target.StringValue())
			}
			return plugin.InvokeResponse{Properties: resource.FromResourcePropertyMap(s.invoke(req, account, region))}, nil
		},
	}, nil
}

// withOutputs echoes the inputs and adds the ARN-like outputs the program
// reads, derived from the URN so every run agrees.
func withOutputs(urn resource.URN, in resource.PropertyMap, account, region string) resource.PropertyMap {
	out := in.Copy()
	name := urn.Name()
	if string(urn.Type()) == typeRole {
		// A role's ARN is IAM's, from its path and name, as the plan has it.
		path, roleName := "/", name
		if v, ok := in["path"]; ok && v.IsString() {
			path = v.StringValue()
		}
		if v, ok := in["name"]; ok && v.IsString() {
			roleName = v.StringValue()
		}
		out["arn"] = resource.NewProperty("arn:aws:iam::" + account + ":role" + path + roleName)
	}
	for _, k := range []string{"arn", "url", "keyId", "eventDataStoreArn", "awsId", "uniqueId"} {
		if _, ok := out[resource.PropertyKey(k)]; !ok {
			out[resource.PropertyKey(k)] = resource.NewProperty(fmt.Sprintf("arn:aws:standin:%s:%s:%s", region, account, name))
		}
	}
	return out
}

// invoke answers the provider functions the program calls. The
// organization holds the stack's accounts and those in s.orgExtra.
func (s *engineStack) invoke(req plugin.InvokeRequest, account, region string) resource.PropertyMap {
	switch req.Tok {
	case tokenGetOrganization:
		var accounts map[string]map[string]any
		s.get("accounts", &accounts)
		var list []any
		for _, a := range accounts {
			list = append(list, map[string]any{"id": a["id"], "status": "ACTIVE"})
		}
		for _, id := range slices.Concat(s.orgExtra, s.orgExtraOutsideOUs) {
			list = append(list, map[string]any{"id": id, "status": "ACTIVE"})
		}
		var types []any
		for _, t := range []string{"SERVICE_CONTROL_POLICY", "RESOURCE_CONTROL_POLICY"} {
			if !slices.Contains(s.policyTypesOff, t) {
				types = append(types, t)
			}
		}
		return resource.NewPropertyMapFromMap(map[string]any{"id": "o-standin", "accounts": list, "roots": []any{map[string]any{"id": standInRoot}}, "enabledPolicyTypes": types})
	case tokenGetPoliciesForTarget, tokenGetPolicy:
		return s.invokePolicies(req)
	case tokenGetDelegatedAdministrators:
		var list []any
		for _, id := range s.delegatedAdmins[resource.ToResourcePropertyMap(req.Args)["servicePrincipal"].StringValue()] {
			list = append(list, map[string]any{"id": id, "status": "ACTIVE"})
		}
		return resource.NewPropertyMapFromMap(map[string]any{"id": "delegated-administrators", "delegatedAdministrators": list})
	case tokenGetDelegatedServices:
		id := resource.ToResourcePropertyMap(req.Args)["accountId"].StringValue()
		var services []any
		for principal, ids := range s.delegatedAdmins {
			if slices.Contains(ids, id) {
				services = append(services, map[string]any{"servicePrincipal": principal})
			}
		}
		return resource.NewPropertyMapFromMap(map[string]any{"id": id, "accountId": id, "delegatedServices": services})
	case tokenGetOrganizationalUnitDescendantAccounts:
		var accounts map[string]map[string]any
		s.get("accounts", &accounts)
		var list []any
		for alias, a := range accounts {
			id, _ := a["id"].(string)
			if !slices.Contains(config.CoreAliases, alias) && !slices.Contains(s.listedOutsideOUs, id) {
				list = append(list, map[string]any{"id": id, "status": "ACTIVE"})
			}
		}
		for _, id := range s.orgExtra {
			list = append(list, map[string]any{"id": id, "status": "ACTIVE"})
		}
		return resource.NewPropertyMapFromMap(map[string]any{"id": "descendants", "accounts": list})
	}
	return resource.NewPropertyMapFromMap(map[string]any{
		"accountId": account, "id": account, "region": region, "name": region, "partition": "aws", "dnsSuffix": "amazonaws.com",
	})
}

// standInRoot is the organization root the stand-in reports.
const standInRoot = "r-st4n"

// nopPluginManager keeps the engine away from the machine's plugin cache:
// every plugin comes from the deploytest host.
type nopPluginManager struct{}

func (nopPluginManager) GetPluginPath(context.Context, diag.Sink, workspace.PluginDescriptor, []workspace.ProjectPlugin) (string, error) {
	return "installed", nil
}

func (nopPluginManager) HasPlugin(context.Context, workspace.PluginDescriptor) pluginstorage.InstallState {
	return pluginstorage.PluginInstalled
}

func (nopPluginManager) HasPluginGTE(context.Context, workspace.PluginDescriptor) (bool, *semver.Version, error) {
	return true, nil, nil
}

func (nopPluginManager) GetLatestVersion(context.Context, workspace.PluginDescriptor) (*semver.Version, error) {
	return nil, nil
}

func (nopPluginManager) GetPlugins(context.Context) ([]workspace.PluginInfo, error) { return nil, nil }

func (nopPluginManager) DownloadPlugin(context.Context, workspace.PluginDescriptor,
	func(io.ReadCloser, int64) io.ReadCloser, func(error, int, int, time.Duration),
) (io.ReadCloser, int64, error) {
	return nil, 0, fmt.Errorf("no downloads in tests")
}

func (nopPluginManager) InstallPlugin(context.Context, workspace.PluginDescriptor, pluginstorage.Content, bool) error {
	return nil
}

// state returns the resource with the given logical name in the last snapshot.
func (s *engineStack) state(typ, name string) *pkgresource.State {
	s.t.Helper()
	for _, r := range s.snap.Resources {
		if string(r.Type) == typ && r.URN.Name() == name && !r.Delete {
			return r
		}
	}
	s.t.Fatalf("no %s named %s in the state", typ, name)
	return nil
}
