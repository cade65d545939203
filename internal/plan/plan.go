// Package plan runs the program under the Pulumi mock engine and records
// everything it would deploy: each resource with its account, region and fully
// resolved inputs, and the stack outputs. It backs both `go run . plan` and the
// tests, so reviewers and tests see the same graph.
package plan

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"google.golang.org/protobuf/types/known/emptypb"

	"github.com/example/landing-zone-audit/config"
)

// Resource is one registered resource as the engine saw it.
type Resource struct {
	URN       string         `json:"urn"`
	Type      string         `json:"type"`
	Name      string         `json:"name"`
	Parent    string         `json:"parent"`
	Custom    bool           `json:"custom"`
	Provider  string         `json:"provider"`
	Account   string         `json:"account"`
	AccountID string         `json:"accountId"`
	Region    string         `json:"region"`
	Inputs    map[string]any `json:"inputs"`
	// Policies are the inputs that hold an IAM policy document, parsed, so
	// that a diff of two plans shows which statement changed.
	Policies       map[string]any `json:"policies,omitempty"`
	Dependencies   []string       `json:"dependencies,omitempty"`
	IgnoreChanges  []string       `json:"ignoreChanges,omitempty"`
	Protect        bool           `json:"protect,omitempty"`
	RetainOnDelete bool           `json:"retainOnDelete,omitempty"`
	// Import is the ID of the existing resource the stack adopts.
	Import string `json:"import,omitempty"`
	// Version is the provider plugin version the SDK asked the engine for
	// (set on provider resources): what `pulumi import` must load.
	Version string `json:"-"`
}

// IsProvider reports whether r is a provider resource.
func (r Resource) IsProvider() bool { return strings.HasPrefix(r.Type, "pulumi:providers:") }

// Plan is everything one run of the program would deploy.
type Plan struct {
	Project string `json:"project"`
	Stack   string `json:"stack"`
	// Footprint is the provider plugin processes `pulumi up` starts: one
	// per provider resource the program registered.
	Footprint config.Footprint `json:"footprint"`
	// RunningCost is what the deployed stack costs to run in AWS: fixed
	// prices where AWS has them, the drivers of the bill where activity
	// decides (cost.go).
	RunningCost []CostDriver `json:"runningCost"`
	// Warnings are the configuration's warnings (config.Warnings), which
	// `pulumi preview` prints too.
	Warnings  []string       `json:"warnings,omitempty"`
	Resources []Resource     `json:"resources"`
	Outputs   map[string]any `json:"outputs"`
	// WatchedRoles are the roles the elevated-role alarm watches, per
	// account: roles the stack expects to exist but does not create.
	WatchedRoles []WatchedRole `json:"watchedRoles,omitempty"`
	// ComponentOutputs counts RegisterResourceOutputs calls (components and the stack).
	ComponentOutputs int `json:"-"`
}

// Recorder is a Pulumi mock monitor that records every resource and answers
// invokes per provider. It is safe for concurrent use by the engine.
type Recorder struct {
	project string
	stack   string
	aliases map[string]string // account ID -> alias
	// org is the organization as the plan pictures it (see organization).
	org organization

	mu        sync.Mutex
	resources []Resource
	providers map[string]where // provider URN -> account and region
	outputs   int
	exports   map[string]any // stack outputs, as resolved by the engine
}

// exportsType carries the stack outputs to the recorder: registering them as
// the inputs of a resource makes the engine resolve them before the run ends.
const exportsType = "landingzone:plan:StackOutputs"

// NewRecorder returns a Recorder for the project's stack that names accounts
// by the aliases in cfg.
func NewRecorder(cfg *config.Config, project, stack string) *Recorder {
	r := &Recorder{project: project, stack: stack, aliases: map[string]string{}, providers: map[string]where{}}
	if cfg != nil {
		for alias, acct := range cfg.Accounts {
			r.aliases[acct.ID] = alias
		}
		r.org = organizationOf(cfg)
	}
	return r
}

// NewResource records a registration and returns AWS-like outputs.
func (r *Recorder) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	rpc := args.RegisterRPC
	var parent string
	var deps []string
	var protect, retain bool
	var ignore []string
	var importID, version string
	if rpc != nil {
		importID = rpc.GetImportId()
		version = rpc.GetVersion()
		ignore = rpc.GetIgnoreChanges()
		parent = rpc.GetParent()
		deps = append(deps, rpc.GetDependencies()...)
		sort.Strings(deps) // the SDK collects them in a map
		protect = rpc.GetProtect()
		retain = rpc.GetRetainOnDelete()
	}
	if args.TypeToken == exportsType {
		r.mu.Lock()
		r.exports = plainMap(args.Inputs)
		r.mu.Unlock()
		return args.Name, args.Inputs, nil
	}
	urn := r.newURN(parent, args.TypeToken, args.Name)
	if resource.URN(parent).QualifiedType() == resource.RootStackType {
		parent = "" // top level: the plan lists no stack resource
	}

	r.mu.Lock()
	defer r.mu.Unlock()
	rec := Resource{
		URN: urn, Type: args.TypeToken, Name: args.Name, Parent: parent, Custom: args.Custom,
		Inputs: plainMap(args.Inputs), Dependencies: deps, IgnoreChanges: ignore, Protect: protect, RetainOnDelete: retain,
		Import: importID, Version: version,
	}
	var w where
	if rec.IsProvider() {
		w = r.providerWhere(args.Inputs)
		r.providers[urn] = w
	} else if args.Provider != "" {
		provURN := providerURN(args.Provider)
		pw, ok := r.providers[provURN]
		if !ok {
			return "", nil, fmt.Errorf("resource %s uses unknown provider %s", urn, provURN)
		}
		w = pw
		rec.Provider = resource.URN(provURN).Name()
	}
	rec.Account, rec.AccountID, rec.Region = w.alias, w.accountID, w.region
	r.resources = append(r.resources, rec)
	switch {
	case !args.Custom:
		return "", args.Inputs, nil
	case rec.IsProvider():
		return args.Name + "-provider", args.Inputs, nil
	}
	id, outs := synthesize(args.TypeToken, args.Name, args.Inputs, w)
	return id, outs, nil
}

// providerWhere reads a provider's account and region from its inputs.
func (r *Recorder) providerWhere(inputs resource.PropertyMap) where {
	var w where
	if v, ok := inputs["region"]; ok && v.IsString() {
		w.region = v.StringValue()
	}
	if v, ok := inputs["allowedAccountIds"]; ok {
		var ids []string
		switch {
		case v.IsArray():
			for _, e := range v.ArrayValue() {
				if e.IsString() {
					ids = append(ids, e.StringValue())
				}
			}
		case v.IsString(): // providers may receive nested inputs as JSON text
			_ = json.Unmarshal([]byte(v.StringValue()), &ids)
		}
		if len(ids) > 0 {
			w.accountID = ids[0]
		}
	}
	w.alias = r.aliases[w.accountID]
	return w
}

// Call answers invokes as the calling provider's account and region.
func (r *Recorder) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	r.mu.Lock()
	w, ok := r.providers[providerURN(args.Provider)]
	r.mu.Unlock()
	if !ok {
		return nil, fmt.Errorf("invoke %s without an explicit provider: every call must name its account", args.Token)
	}
	return invoke(args.Token, args.Args, w, r.org)
}

// RegisterResourceOutputs counts component (and stack) output registrations.
func (r *Recorder) RegisterResourceOutputs() (*emptypb.Empty, error) {
	r.mu.Lock()
	r.outputs++
	r.mu.Unlock()
	return &emptypb.Empty{}, nil
}

// providerURN takes the URN out of a provider reference "<urn>::<id>"
// (URNs themselves contain "::").
func providerURN(ref string) string {
	if i := strings.LastIndex(ref, "::"); i >= 0 {
		return ref[:i]
	}
	return ref
}

// newURN computes the URN the mock engine gives a resource.
func (r *Recorder) newURN(parent, typ, name string) string {
	parentType := tokens.Type("")
	if p := resource.URN(parent); p != "" && p.IsValid() && p.QualifiedType() != resource.RootStackType {
		parentType = p.QualifiedType()
	}
	return string(resource.NewURN(tokens.QName(r.stack), tokens.PackageName(r.project), parentType, tokens.Type(typ), name))
}

// plainMap turns engine property values into JSON-ready Go values; secrets
// are masked and unknowns marked.
func plainMap(m resource.PropertyMap) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[string(k)] = plain(v)
	}
	return out
}

func plain(v resource.PropertyValue) any {
	switch {
	case v.IsSecret():
		return "[secret]"
	case v.IsComputed() || (v.IsOutput() && !v.OutputValue().Known):
		return "[unknown]"
	case v.IsOutput():
		return plain(v.OutputValue().Element)
	case v.IsNull():
		return nil
	case v.IsBool():
		return v.BoolValue()
	case v.IsNumber():
		return v.NumberValue()
	case v.IsString():
		return v.StringValue()
	case v.IsArray():
		arr := make([]any, len(v.ArrayValue()))
		for i, e := range v.ArrayValue() {
			arr[i] = plain(e)
		}
		return arr
	case v.IsObject():
		return plainMap(v.ObjectValue())
	case v.IsResourceReference():
		return string(v.ResourceReferenceValue().URN)
	case v.IsAsset():
		a := v.AssetValue()
		return map[string]any{"asset": a.Path + a.URI, "hash": a.Hash}
	case v.IsArchive():
		return map[string]any{"archive": v.ArchiveValue().Hash}
	}
	return fmt.Sprint(v.V)
}

// Program is a Pulumi program built from the stack configuration.
type Program func(src config.Source) pulumi.RunFunc

// Run runs program under the mock engine with the stack configuration, as
// the engine would hand it over, and returns the plan. Config problems come
// back as the error of config.Load.
func Run(program Program, stack string, src config.Source) (*Plan, error) {
	cfg, err := config.Load(src)
	if err != nil {
		return nil, &ConfigError{Err: err}
	}
	rec := NewRecorder(cfg, src.Project, stack)
	body := func(ctx *pulumi.Context) error {
		if err := program(src)(ctx); err != nil {
			return err
		}
		exports := pulumi.Map{}
		for k, v := range ctx.GetCurrentExportMap() {
			exports[k] = v
		}
		var carrier pulumi.CustomResourceState
		return ctx.RegisterResource(exportsType, "stack-outputs", exports, &carrier)
	}
	withConfig := func(info *pulumi.RunInfo) { info.Config, info.ConfigSecretKeys = src.Values, src.Secret }
	if err := pulumi.RunErr(body, pulumi.WithMocks(src.Project, stack, rec), withConfig); err != nil {
		return nil, err
	}
	if rec.exports == nil {
		return nil, errors.New("stack outputs did not resolve")
	}
	resources := rec.Resources()
	for i := range resources {
		resources[i].Policies = policies(resources[i].Inputs)
	}
	p := &Plan{
		Project: src.Project, Stack: stack, Footprint: footprint(resources), Warnings: cfg.Warnings(), Resources: resources, Outputs: rec.exports,
		ComponentOutputs: rec.outputs, WatchedRoles: watchedRoles(cfg, resources),
	}
	p.RunningCost = p.Cost()
	return p, nil
}

// policies parses the inputs that are IAM policy documents.
func policies(inputs map[string]any) map[string]any {
	var out map[string]any
	for k, v := range inputs {
		text, ok := v.(string)
		if !ok || !strings.Contains(text, `"Statement"`) {
			continue
		}
		var doc map[string]any
		if json.Unmarshal([]byte(text), &doc) != nil || doc["Statement"] == nil {
			continue
		}
		if out == nil {
			out = map[string]any{}
		}
		out[k] = doc
	}
	return out
}

// footprint counts the provider resources by package.
func footprint(resources []Resource) config.Footprint {
	var f config.Footprint
	for _, r := range resources {
		switch r.Type {
		case "pulumi:providers:aws":
			f.AWS++
		case "pulumi:providers:aws-native":
			f.AWSNative++
		}
	}
	return f
}

// ConfigError wraps every problem found in the stack configuration.
type ConfigError struct{ Err error }

func (e *ConfigError) Error() string { return e.Err.Error() }
func (e *ConfigError) Unwrap() error { return e.Err }

// Resources returns what the recorder has seen so far, sorted by URN.
func (r *Recorder) Resources() []Resource {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := append([]Resource(nil), r.resources...)
	sort.Slice(out, func(i, j int) bool { return out[i].URN < out[j].URN })
	return out
}

// ByType returns the resources of the given type token.
func (p *Plan) ByType(typ string) []Resource {
	var out []Resource
	for _, r := range p.Resources {
		if r.Type == typ {
			out = append(out, r)
		}
	}
	return out
}
