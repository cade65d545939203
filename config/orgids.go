package config

import (
	"fmt"
	"strings"
)

// ouIDRule is AWS's format for the IDs of organizational units and roots
// (AWS Organizations API reference, OrganizationalUnit and Root, Id).
const ouIDRule = "an OU ID is ou- followed by 4 to 32 lowercase letters or digits (its root's), a dash, and 8 to 32 lowercase letters or digits; a root ID is r- followed by 4 to 32 lowercase letters or digits (aws organizations list-roots and list-organizational-units-for-parent print them)"

// ouIDProblem says which part of an OU or root ID is malformed, or "" when
// it matches AWS's pattern.
func ouIDProblem(id string) string {
	if ouIDPattern.MatchString(id) {
		return ""
	}
	if rest, ok := strings.CutPrefix(id, "r-"); ok {
		if why := idPartProblem(rest, 4, 32); why != "" {
			return fmt.Sprintf("%q is not a root ID: the part after r- %s; %s", id, why, ouIDRule)
		}
	}
	rest, ok := strings.CutPrefix(id, "ou-")
	if !ok {
		return fmt.Sprintf("%q is not an organizational unit or root ID: it must start with ou- or r- (lowercase); %s", id, ouIDRule)
	}
	root, unit, ok := strings.Cut(rest, "-")
	if !ok {
		return fmt.Sprintf("%q is not an organizational unit ID: it has no dash between the root part and the OU part; %s", id, ouIDRule)
	}
	var why []string
	if w := idPartProblem(root, 4, 32); w != "" {
		why = append(why, fmt.Sprintf("the root part %q %s", root, w))
	}
	if w := idPartProblem(unit, 8, 32); w != "" {
		why = append(why, fmt.Sprintf("the OU part %q %s", unit, w))
	}
	if len(why) == 0 {
		return fmt.Sprintf("%q is not an organizational unit or root ID; %s", id, ouIDRule)
	}
	return fmt.Sprintf("%q is not an organizational unit ID: %s; %s", id, strings.Join(why, ", and "), ouIDRule)
}

// idPartProblem checks one part of an ID: lo to hi lowercase letters or digits.
func idPartProblem(part string, lo, hi int) string {
	for _, r := range part {
		if (r < 'a' || r > 'z') && (r < '0' || r > '9') {
			return fmt.Sprintf("has %q, which is not a lowercase letter or digit", r)
		}
	}
	if n := len(part); n < lo || n > hi {
		return fmt.Sprintf("has %d characters, not %d to %d", n, lo, hi)
	}
	return ""
}
