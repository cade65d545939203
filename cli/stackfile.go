package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strconv"

	"gopkg.in/yaml.v3"
)

// ReadStackFile reads a Pulumi.<stack>.yaml file into the raw configuration
// map the engine would pass: scalars as text, lists and objects as JSON.
// Encrypted values cannot be read offline and appear as "[secret]".
func ReadStackFile(path string) (map[string]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var file struct {
		Config map[string]any `yaml:"config"`
	}
	if err := yaml.Unmarshal(data, &file); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	raw := make(map[string]string, len(file.Config))
	keys := make([]string, 0, len(file.Config))
	for k := range file.Config {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v, err := rawValue(file.Config[k])
		if err != nil {
			return nil, fmt.Errorf("%s: %s: %w", path, k, err)
		}
		raw[k] = v
	}
	return raw, nil
}

func rawValue(v any) (string, error) {
	switch v := v.(type) {
	case string:
		return v, nil
	case bool:
		return strconv.FormatBool(v), nil
	case int:
		return strconv.Itoa(v), nil
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64), nil
	case nil:
		return "", nil
	case map[string]any:
		if _, ok := v["secure"]; ok && len(v) == 1 {
			return "[secret]", nil
		}
	}
	b, err := json.Marshal(v)
	return string(b), err
}
