package filterpattern

import (
	"math/big"
	"strconv"
	"strings"
)

// decimal is an exact form of a numeric literal, used so that comparisons
// never lose precision (float64 would treat 9007199254740993 and
// 9007199254740992 as equal) and never overflow (1e400, 1e-400).
//
// A non-zero value is ±0.digits × 10^exp.
type decimal struct {
	sign   int    // -1, 0 or +1; zero has no digits
	digits string // significant digits without leading or trailing zeros
	exp    int64
	bigExp *big.Int // exponent when it does not fit comfortably in int64; nil otherwise
}

// maxSmallExp bounds exp so that adding a string-length adjustment cannot
// overflow int64.
const maxSmallExp = 1 << 60

// parseDecimal converts a literal that satisfies isNumber (which includes
// every JSON number) into a decimal.
func parseDecimal(s string) decimal {
	d := decimal{sign: 1}
	if s != "" && (s[0] == '+' || s[0] == '-') {
		if s[0] == '-' {
			d.sign = -1
		}
		s = s[1:]
	}
	mant, expText := s, ""
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		mant, expText = s[:i], s[i+1:]
	}
	intPart, frac := mant, ""
	if i := strings.IndexByte(mant, '.'); i >= 0 {
		intPart, frac = mant[:i], mant[i+1:]
	}
	digits := intPart + frac
	// 0.digits × 10^len(intPart) equals intPart.frac; each leading zero
	// dropped from digits lowers that exponent by one.
	trimmed := strings.TrimLeft(digits, "0")
	shift := int64(len(intPart) - (len(digits) - len(trimmed)))
	d.digits = strings.TrimRight(trimmed, "0")
	if d.digits == "" {
		return decimal{} // zero, including -0
	}

	var (
		e   int64
		err error
	)
	if expText != "" {
		e, err = strconv.ParseInt(expText, 10, 64)
	}
	if err == nil && -maxSmallExp < e && e < maxSmallExp {
		d.exp = e + shift
		return d
	}
	// Absurdly large exponents are still compared exactly.
	be, ok := new(big.Int).SetString(expText, 10)
	if !ok {
		// Unreachable for inputs validated by isNumber or encoding/json.
		be = new(big.Int)
	}
	d.bigExp = be.Add(be, big.NewInt(shift))
	return d
}

// cmp returns -1, 0 or +1 as d is less than, equal to or greater than o.
func (d decimal) cmp(o decimal) int {
	if d.sign != o.sign {
		if d.sign < o.sign {
			return -1
		}
		return 1
	}
	if d.sign == 0 {
		return 0
	}
	// Same sign, both non-zero: the larger exponent has the larger
	// magnitude; with equal exponents compare digits lexicographically
	// (a proper prefix is smaller, as 0.12 < 0.123).
	c := d.cmpExp(o)
	if c == 0 {
		c = strings.Compare(d.digits, o.digits)
	}
	return c * d.sign
}

func (d decimal) cmpExp(o decimal) int {
	if d.bigExp == nil && o.bigExp == nil {
		switch {
		case d.exp < o.exp:
			return -1
		case d.exp > o.exp:
			return 1
		}
		return 0
	}
	return d.bigExponent().Cmp(o.bigExponent())
}

func (d decimal) bigExponent() *big.Int {
	if d.bigExp != nil {
		return d.bigExp
	}
	return big.NewInt(d.exp)
}
