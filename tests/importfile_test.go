package tests

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/example/landing-zone-audit/internal/plan"
)

// pulumiImportSpec and pulumiImportFile are the fields `pulumi import --file`
// reads (importSpec and importFile in pulumi/pkg/v3
// cmd/pulumi/operations/import.go, which are unexported): the file is
// decoded against them with unknown fields refused.
type pulumiImportSpec struct {
	Type              string         `json:"type"`
	Name              string         `json:"name"`
	ID                string         `json:"id,omitempty"`
	Parent            string         `json:"parent,omitempty"`
	Provider          string         `json:"provider,omitempty"`
	Version           string         `json:"version,omitempty"`
	PluginDownloadURL string         `json:"pluginDownloadUrl,omitempty"`
	Properties        []string       `json:"properties,omitempty"`
	Component         bool           `json:"component,omitempty"`
	Remote            bool           `json:"remote,omitempty"`
	Inputs            map[string]any `json:"inputs,omitempty"`
	LogicalName       string         `json:"logicalName,omitempty"`
}

type pulumiImportFile struct {
	NameTable map[string]string  `json:"nameTable,omitempty"`
	Resources []pulumiImportSpec `json:"resources,omitempty"`
}

// The import file follows the rules pulumi import's parseImportFile
// enforces — a provider has no ID, a component has none, every other entry
// has one; parents and providers name entries of the file — and each entry's
// URN, built as parseImportFile builds it (resource.NewURN with the parent's
// qualified type and the logical name), is the URN the program registers the
// resource under, so the next `pulumi up` finds each imported resource in place.
func TestImportFile(t *testing.T) {
	t.Parallel()
	for _, stack := range []string{"../Pulumi.brownfield.yaml", "../Pulumi.prod.yaml", "../Pulumi.large.yaml", "../Pulumi.full.yaml"} {
		t.Run(stack, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(t.TempDir(), "import.json")
			code, stdout, stderr := runCLI(t, "", "plan", "--config", stack, "--import-file", path)
			require.Equal(t, 0, code, stderr)
			data, err := os.ReadFile(path)
			require.NoError(t, err)
			dec := json.NewDecoder(bytes.NewReader(data))
			dec.DisallowUnknownFields()
			var f pulumiImportFile
			require.NoError(t, dec.Decode(&f))

			p := runPlan(t, loadStackFile(t, stack))
			urnOf := map[string]string{}
			for _, r := range p.Resources {
				urnOf[r.Name] = r.URN
			}
			specs := map[string]pulumiImportSpec{}
			for _, s := range f.Resources {
				_, dup := specs[s.Name]
				require.False(t, dup, "%s: names are unique, or parents and providers are ambiguous", s.Name)
				specs[s.Name] = s
			}
			var urn func(name string) resource.URN
			urn = func(name string) resource.URN {
				s := specs[name]
				var parentType tokens.Type
				if s.Parent != "" {
					parentType = urn(s.Parent).QualifiedType()
				}
				return resource.NewURN(tokens.QName(p.Stack), tokens.PackageName(p.Project), parentType, tokens.Type(s.Type), s.Name)
			}
			kinds := map[string]int{}
			for _, s := range f.Resources {
				assert.Equal(t, urnOf[s.Name], string(urn(s.Name)), "%s imports at the program's URN", s.Name)
				isProvider := strings.HasPrefix(s.Type, "pulumi:providers:")
				switch {
				case isProvider:
					assert.Empty(t, s.ID, "a provider is created, not read: %s", s.Name)
					assert.NotEmpty(t, s.Inputs["region"], s.Name)
					assert.NotEmpty(t, s.Version, "the provider version the program's SDK asks for: %s", s.Name)
				case s.Component:
					assert.Empty(t, s.ID, s.Name)
				default:
					require.NotEmpty(t, s.ID, s.Name)
					kinds[s.Type]++
					require.NotEmpty(t, s.Provider, "every resource names its account's provider: %s", s.Name)
					assert.True(t, strings.HasPrefix(specs[s.Provider].Type, "pulumi:providers:"), s.Name)
				}
				if s.Parent != "" {
					assert.True(t, specs[s.Parent].Component, "%s's parent %s is a component of the file", s.Name, s.Parent)
				}
			}
			assert.Equal(t, len(p.ByType(typeDetector)), kinds[typeDetector], "every detector")
			assert.Equal(t, len(p.ByType(typeRecorder)), kinds[typeRecorder], "every recorder")
			assert.Equal(t, len(p.ByType(typeDeliveryChannel)), kinds[typeDeliveryChannel], "every delivery channel")
			assert.Equal(t, len(p.ByType(typeClassificationExportConfiguration)), kinds[typeClassificationExportConfiguration], "every Macie results setting")
			assert.Equal(t, len(p.ByType(typeDataLake)), kinds[typeDataLake], "every data lake")
			assert.Equal(t, len(p.ByType(typeLogSource)), kinds[typeLogSource], "every Security Lake source")

			// IDs known from config and AWS's fixed names; placeholders only where AWS alone knows.
			for _, s := range f.Resources {
				switch s.Type {
				case typeRecorder, typeDeliveryChannel:
					assert.NotContains(t, s.ID, plan.PlaceholderPrefix, s.Name)
				case typeDetector:
					if r := one(t, p, typeDetector, s.Name); r.Import != "" {
						assert.Equal(t, r.Import, s.ID, "an adopted detector's ID comes from the stack file")
					} else {
						assert.True(t, strings.HasPrefix(s.ID, plan.PlaceholderPrefix), s.Name)
						assert.Contains(t, stdout, s.Name+" (", "the command that finds %s is printed", s.Name)
					}
				case typeServiceLinkedRole:
					assert.Regexp(t, `^arn:aws:iam::\d{12}:role/aws-service-role/config\.amazonaws\.com/AWSServiceRoleForConfig$`, s.ID)
				// terraform-provider-aws imports a data lake by its ARN
				// (securitylake/data_lake.go) and a log source by its name,
				// its ID (securitylake/aws_log_source.go); a role by its name.
				case typeDataLake:
					r := one(t, p, typeDataLake, s.Name)
					assert.Equal(t, "arn:aws:securitylake:"+r.Region+":"+r.AccountID+":data-lake/default", s.ID, s.Name)
				case typeLogSource:
					assert.Equal(t, input(one(t, p, typeLogSource, s.Name), "source.sourceName"), s.ID, "a source's ID is its name")
				case typeRole:
					assert.Contains(t, []string{"AmazonSecurityLakeMetaStoreManagerV2", "AmazonSecurityLakeS3ReplicationRole"}, s.ID, "only Security Lake's fixed-name roles")
				case typeClassificationExportConfiguration:
					// The provider's Create refuses an administrator that
					// has a repository already (terraform-provider-aws
					// macie2/classification_export_configuration.go).
					r := one(t, p, typeClassificationExportConfiguration, s.Name)
					assert.Equal(t, r.AccountID+":"+r.Region, s.ID, s.Name)
				}
			}
		})
	}
}
