/*
 * The value syntaxes policy validation depends on: Go's time.ParseDuration
 * (Envoy Gateway parses every policy duration with it) and Kubernetes
 * resource quantities (buffer limits). Only validity and magnitude matter.
 */
#include <stdbool.h>
#include <string.h>

#include "translate/tr.h"

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Digits with an optional fraction ("12", "1.5", ".5", "5."; not "."), read
 * from *s and advanced past; false when there is no digit. Only the
 * magnitude matters here, so double precision is enough. */
static bool decimal(const char **s, double *v)
{
	const char *p = *s;
	bool digits = false;
	*v = 0;
	while (is_digit(*p)) {
		*v = *v * 10 + (*p++ - '0');
		digits = true;
	}
	if (*p == '.') {
		p++;
		double f = 0.1;
		while (is_digit(*p)) {
			*v += (*p++ - '0') * f;
			f /= 10;
			digits = true;
		}
	}
	*s = p;
	return digits;
}

/* The unit at s (ns, us, µs, μs, ms, s, m, h): its length and scale in seconds, or 0. */
static size_t duration_unit(const char *s, double *scale)
{
	static const struct {
		const char *name;
		double scale;
	} UNITS[] = {{"ns", 1e-9}, {"us", 1e-6}, {"\xc2\xb5s", 1e-6}, {"\xce\xbcs", 1e-6},
	             {"ms", 1e-3}, {"s", 1},     {"m", 60},           {"h", 3600}};
	for (size_t i = 0; i < sizeof UNITS / sizeof UNITS[0]; i++) {
		size_t n = strlen(UNITS[i].name);
		/* "m" must not take the "m" of "ms" */
		if (!strncmp(s, UNITS[i].name, n) && !(n == 1 && s[0] == 'm' && s[1] == 's')) {
			*scale = UNITS[i].scale;
			return n;
		}
	}
	return 0;
}

bool rb__parse_go_duration(const char *s, double *seconds)
{
	*seconds = 0;
	if (!s)
		return false;
	bool neg = false;
	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	if (!strcmp(s, "0"))
		return true;
	if (!*s)
		return false;
	double total = 0;
	while (*s) {
		double v;
		if (!decimal(&s, &v))
			return false;
		double scale;
		size_t n = duration_unit(s, &scale);
		if (!n)
			return false; /* missing or unknown unit */
		s += n;
		total += v * scale;
	}
	/* time.Duration is an int64 of nanoseconds. */
	if (total > 9223372036.854775807)
		return false;
	*seconds = neg ? -total : total;
	return true;
}

/* A quantity suffix: its length and multiplier, or 0 (the empty suffix is 1). */
static size_t quantity_suffix(const char *s, double *mult)
{
	static const struct {
		const char *name;
		double mult;
	} SUFFIXES[] = {{"Ki", 1024.0},
	                {"Mi", 1048576.0},
	                {"Gi", 1073741824.0},
	                {"Ti", 1099511627776.0},
	                {"Pi", 1125899906842624.0},
	                {"Ei", 1152921504606846976.0},
	                {"n", 1e-9},
	                {"u", 1e-6},
	                {"m", 1e-3},
	                {"k", 1e3},
	                {"M", 1e6},
	                {"G", 1e9},
	                {"T", 1e12},
	                {"P", 1e15},
	                {"E", 1e18}};
	for (size_t i = 0; i < sizeof SUFFIXES / sizeof SUFFIXES[0]; i++) {
		size_t n = strlen(SUFFIXES[i].name);
		if (!strcmp(s, SUFFIXES[i].name)) {
			*mult = SUFFIXES[i].mult;
			return n;
		}
	}
	return 0;
}

bool rb__parse_quantity(const char *s, double *value)
{
	*value = 0;
	if (!s || !*s)
		return false;
	bool neg = false;
	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	double v;
	if (!decimal(&s, &v))
		return false;
	double mult = 1;
	if ((*s == 'e' || *s == 'E') &&
	    (is_digit(s[1]) || ((s[1] == '-' || s[1] == '+') && is_digit(s[2])))) {
		s++;
		bool eneg = false;
		if (*s == '-' || *s == '+')
			eneg = *s++ == '-';
		int e = 0;
		while (is_digit(*s) && e < 1000)
			e = e * 10 + (*s++ - '0');
		if (*s)
			return false;
		for (int i = 0; i < e; i++)
			mult = eneg ? mult / 10 : mult * 10;
	} else if (*s && !quantity_suffix(s, &mult)) {
		return false;
	}
	/* Value() rounds up to a whole number (beyond int64 the exact value does not matter). */
	double x = (neg ? -v : v) * mult;
	if (x > -9e18 && x < 9e18) {
		double whole = (double)(long long)x;
		x = whole < x ? whole + 1 : whole;
	}
	*value = x;
	return true;
}
