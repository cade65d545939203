package tests

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/blang/semver"
	"github.com/pulumi/pulumi/pkg/v3/display"
	"github.com/pulumi/pulumi/pkg/v3/engine"
	"github.com/pulumi/pulumi/pkg/v3/resource/deploy"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/example/landing-zone-audit/internal/plan"
)

// importFileFor writes the plan's bulk import file for a stack file and
// returns the entries of the given type with everything they need: their
// component parents and their providers.
func importFileFor(t *testing.T, stackFile, typ string) []plan.ImportSpec {
	t.Helper()
	path := filepath.Join(t.TempDir(), "import.json")
	code, _, stderr := runCLI(t, "", "plan", "--config", stackFile, "--import-file", path)
	require.Equal(t, 0, code, stderr)
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	var f plan.ImportFile
	require.NoError(t, json.Unmarshal(data, &f))
	byName := map[string]plan.ImportSpec{}
	for _, s := range f.Resources {
		byName[s.Name] = s
	}
	keep := map[string]bool{}
	var need func(name string)
	need = func(name string) {
		if name == "" || keep[name] {
			return
		}
		keep[name] = true
		need(byName[name].Parent)
		need(byName[name].Provider)
	}
	for _, s := range f.Resources {
		if s.Type == typ {
			need(s.Name)
		}
	}
	var out []plan.ImportSpec
	for _, s := range f.Resources { // file order: parents and providers first
		if keep[s.Name] {
			out = append(out, s)
		}
	}
	return out
}

// deployImports turns import file entries into the engine's imports, as
// `pulumi import --file` does (pkg/v3 cmd/pulumi/operations/import.go,
// parseImportFile): each URN from the parent's type and the name, parents
// and providers by URN, inputs as properties.
func (s *engineStack) deployImports(specs []plan.ImportSpec) []deploy.Import {
	s.t.Helper()
	urns := map[string]resource.URN{}
	var imports []deploy.Import
	for _, spec := range specs {
		var parentType tokens.Type
		imp := deploy.Import{Type: tokens.Type(spec.Type), Name: spec.Name, ID: resource.ID(spec.ID), Component: spec.Component}
		if spec.Parent != "" {
			imp.Parent = urns[spec.Parent]
			parentType = imp.Parent.QualifiedType()
		}
		if spec.Provider != "" {
			imp.Provider = urns[spec.Provider]
		}
		if spec.Version != "" {
			v := semver.MustParse(spec.Version)
			imp.Version = &v
		}
		if spec.Inputs != nil {
			imp.Inputs = resource.FromResourcePropertyMap(resource.NewPropertyMapFromMap(spec.Inputs))
		}
		urns[spec.Name] = resource.NewURN(s.name.Q(), tokens.PackageName(s.project.Name), parentType, imp.Type, spec.Name)
		imports = append(imports, imp)
	}
	return imports
}

// importFile runs `pulumi import --file` with the given entries.
func (s *engineStack) importFile(specs []plan.ImportSpec) (steps, error) {
	imports := s.deployImports(specs)
	st, snap, err := s.do(func(u engine.UpdateInfo, ctx *engine.Context, opts engine.UpdateOptions, dryRun bool) (*deploy.Plan, display.ResourceChanges, error) {
		return engine.Import(u, ctx, opts, imports, dryRun)
	}, false)
	s.snap = snap
	return st, err
}

// A data lake that exists before the stack is adopted with the plan's bulk
// import file, and the next `pulumi up` leaves it in place. The provider's
// Read never returns meta_store_manager_role_arn, which is required and
// RequiresReplace (terraform-provider-aws internal/service/securitylake/
// data_lake.go; its import test ignores the attribute), so the stand-in's
// Read leaves it out as AWS's does and the role ARN can only come from the
// file, which `pulumi import` merges into what Read returns (pkg/v3
// resource/deploy/step.go, mergeSuppliedProperties). Without it, the next
// up replaces the lake: CreateDataLake refuses a second lake in a region,
// so the replacement deletes the organization's lake first.
func TestEngineImportedDataLakeSurvivesTheNextUp(t *testing.T) {
	t.Parallel()
	const stackFile = "../Pulumi.full.yaml"
	specs := importFileFor(t, stackFile, typeDataLake)

	// What AWS reports for the existing lakes: what the stack would have
	// created, without the role ARN.
	reference := newEngineStack(t, stackFile)
	_, err := reference.up()
	require.NoError(t, err)
	existing := map[resource.ID]resource.PropertyMap{}
	var lakes []string
	for _, spec := range specs {
		if spec.Type != typeDataLake {
			continue
		}
		lakes = append(lakes, spec.Name)
		require.Equal(t, reference.state(typeDataLake, spec.Name).Inputs["metaStoreManagerRoleArn"].StringValue(), spec.Inputs["metaStoreManagerRoleArn"],
			"the file carries the role ARN the program registers for %s", spec.Name)
		read := reference.state(typeDataLake, spec.Name).Inputs.Copy()
		delete(read, "metaStoreManagerRoleArn")
		existing[resource.ID(spec.ID)] = read
	}
	require.Len(t, lakes, 2, "a lake per governed region")

	adopt := func(t *testing.T, specs []plan.ImportSpec) steps {
		s := newEngineStack(t, stackFile)
		s.existing = existing
		imported, err := s.importFile(specs)
		require.NoError(t, err, "pulumi import --file")
		for _, name := range lakes {
			assert.Contains(t, names(imported[deploy.OpImport]), name)
		}
		up, err := s.up()
		require.NoError(t, err)
		return up
	}

	up := adopt(t, specs)
	for _, name := range lakes {
		assert.Contains(t, names(up[deploy.OpSame]), name, "the adopted lake is unchanged by the next up")
	}
	requireNoStatefulLoss(t, up)

	t.Run("without the role ARN in the file", func(t *testing.T) {
		t.Parallel()
		var bare []plan.ImportSpec
		for _, s := range specs {
			if s.Type == typeDataLake {
				s.Inputs = nil
			}
			bare = append(bare, s)
		}
		up := adopt(t, bare)
		for _, name := range lakes {
			assert.Contains(t, names(up[deploy.OpReplace]), name, "the lake imported by ARN alone is replaced")
		}
	})
}

// names returns the logical names of urns, sorted.
func names(urns []resource.URN) []string {
	var out []string
	for _, u := range urns {
		out = append(out, u.Name())
	}
	slices.Sort(out)
	return out
}
