package rebalance

// A decoder for the change set document (rb_changes_to_buffer), written for
// its schema: encoding/json's reflection costs more than the engine's whole
// incremental translation of a change, and a change set is decoded after
// every one. It reads any valid JSON (members in any order, unknown members
// skipped, every escape) into the same values json.Unmarshal gives (the
// tests check both on every golden case), and fails on anything else.

import (
	"bytes"
	"errors"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"
)

var errSyntax = errors.New("rebalance: the library's JSON does not parse")

type jsonReader struct {
	b    []byte
	i    int
	err  error
	text []byte     // str's block: strings are carved from it, never written again
	syms [64]string // sym's strings, by a hash of their text
	eps  []Endpoint // the endpoints of the setting being read, before their copy
	sets []Setting  // the settings of the destination being read, before their copy
}

// textBlock is the size of str's blocks: one allocation holds the strings of
// about one destination, and a string kept alone keeps at most one block.
const textBlock = 2048

func (r *jsonReader) fail() {
	if r.err == nil {
		r.err = errSyntax
	}
	r.i = len(r.b)
}

func (r *jsonReader) ws() {
	for r.i < len(r.b) {
		switch r.b[r.i] {
		case ' ', '\t', '\n', '\r':
			r.i++
		default:
			return
		}
	}
}

// peek is the next byte after white space, 0 at the end.
func (r *jsonReader) peek() byte {
	r.ws()
	if r.i < len(r.b) {
		return r.b[r.i]
	}
	return 0
}

func (r *jsonReader) eat(c byte) bool {
	if r.peek() == c {
		r.i++
		return true
	}
	return false
}

func (r *jsonReader) expect(c byte) {
	if !r.eat(c) {
		r.fail()
	}
}

// The decoder walks objects and arrays with loops, not callbacks: a closure
// passed down a recursive reader escapes to the heap, with every variable it
// captures, and that cost one allocation per member read.
//
//	for more := r.object(); more; more = r.nextMember() {
//		switch string(r.key()) { ... read the value ... }
//	}

// object opens an object: whether it has a first member.
func (r *jsonReader) object() bool {
	r.expect('{')
	return r.err == nil && !r.eat('}')
}

// key reads a member's key and the colon after it.
func (r *jsonReader) key() []byte {
	k := r.rawString()
	r.expect(':')
	return k
}

// next reads what follows a member or an item: a comma (true: another
// follows) or the closing bracket.
func (r *jsonReader) next(closing byte) bool {
	if r.err != nil {
		return false
	}
	if r.eat(',') {
		return true
	}
	r.expect(closing)
	return false
}

// nextMember reads what follows a member's value: whether another member follows.
func (r *jsonReader) nextMember() bool { return r.next('}') }

// array opens an array: whether it has a first item.
func (r *jsonReader) array() bool {
	r.expect('[')
	return r.err == nil && !r.eat(']')
}

// nextItem reads what follows an item: whether another item follows.
func (r *jsonReader) nextItem() bool { return r.next(']') }

// null reads a null when there is one.
func (r *jsonReader) null() bool {
	r.ws()
	if len(r.b)-r.i >= 4 && string(r.b[r.i:r.i+4]) == "null" {
		r.i += 4
		return true
	}
	return false
}

// rawString is a string's bytes, unescaped (a copy only when it has escapes).
func (r *jsonReader) rawString() []byte {
	if r.peek() != '"' {
		r.fail()
		return nil
	}
	r.i++
	start := r.i
	// The closing quote found at once (bytes.IndexByte reads words at a
	// time), then the text before it checked for escapes and control bytes.
	end := bytes.IndexByte(r.b[start:], '"')
	if end < 0 {
		r.fail()
		return nil
	}
	s := r.b[start : start+end]
	for j, c := range s {
		if c == '\\' {
			r.i = start + j
			return r.escaped(start)
		}
		if c < 0x20 {
			r.fail()
			return nil
		}
	}
	r.i = start + end + 1
	return s
}

func (r *jsonReader) hex4() rune {
	if len(r.b)-r.i < 4 {
		r.fail()
		return 0
	}
	v, err := strconv.ParseUint(string(r.b[r.i:r.i+4]), 16, 32)
	if err != nil {
		r.fail()
		return 0
	}
	r.i += 4
	return rune(v)
}

// escaped finishes a string that has escapes, from its start.
func (r *jsonReader) escaped(start int) []byte {
	out := append([]byte(nil), r.b[start:r.i]...)
	for r.i < len(r.b) {
		c := r.b[r.i]
		switch {
		case c == '"':
			r.i++
			return out
		case c < 0x20:
			r.fail()
			return nil
		case c != '\\':
			out = append(out, c)
			r.i++
			continue
		}
		r.i++
		if r.i >= len(r.b) {
			break
		}
		e := r.b[r.i]
		r.i++
		switch e {
		case '"', '\\', '/':
			out = append(out, e)
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			x := r.hex4()
			if utf16.IsSurrogate(x) {
				// A pair, or the replacement character (as encoding/json does).
				y := rune(-1)
				if len(r.b)-r.i >= 6 && r.b[r.i] == '\\' && r.b[r.i+1] == 'u' {
					save := r.i
					r.i += 2
					y = r.hex4()
					if d := utf16.DecodeRune(x, y); d != utf8.RuneError {
						x = d
					} else {
						r.i = save
						x = utf8.RuneError
					}
				} else {
					x = utf8.RuneError
				}
			}
			out = utf8.AppendRune(out, x)
		default:
			r.fail()
			return nil
		}
	}
	r.fail()
	return nil
}

// str is a string's value. Short ones are copied into a shared block, not
// allocated one by one: a change set holds hundreds (names, keys, addresses).
func (r *jsonReader) str() string {
	b := r.rawString()
	if len(b) == 0 || len(b) > textBlock/8 {
		return string(b)
	}
	if cap(r.text)-len(r.text) < len(b) {
		r.text = make([]byte, 0, textBlock)
	}
	at := len(r.text)
	r.text = append(r.text, b...)
	t := r.text[at:len(r.text):len(r.text)]
	// The bytes are never written again (the next append goes past them), so
	// they can back an immutable string, as strings.Builder's do.
	return *(*string)(unsafe.Pointer(&t))
}

// sym is str for the documents' small vocabulary (kinds, protocols, zones,
// namespaces, condition types...), which repeats in every entry: each text
// is allocated once per document, the next ones share its string.
func (r *jsonReader) sym() string {
	b := r.rawString()
	if len(b) == 0 || len(b) > 64 {
		return string(b)
	}
	h := uint(len(b))*131 + uint(b[0])*31 + uint(b[len(b)/2])*7 + uint(b[len(b)-1])
	slot := &r.syms[h%uint(len(r.syms))]
	if *slot != string(b) { // compared without a copy
		*slot = string(b)
	}
	return *slot
}

// number is a number's text.
func (r *jsonReader) number() []byte {
	r.ws()
	start := r.i
	for r.i < len(r.b) {
		switch c := r.b[r.i]; {
		case c >= '0' && c <= '9', c == '-', c == '+', c == '.', c == 'e', c == 'E':
			r.i++
			continue
		}
		break
	}
	if start == r.i {
		r.fail()
	}
	return r.b[start:r.i]
}

// digits is the value of a run of decimal digits up to max, as
// strconv.ParseUint reads it in base 10 (without its error value, which
// holds a copy of the text).
func (r *jsonReader) digits(t []byte, max uint64) uint64 {
	if len(t) == 0 {
		r.fail()
		return 0
	}
	var v uint64
	for _, c := range t {
		d := uint64(c - '0')
		if c < '0' || c > '9' || v > (max-d)/10 {
			r.fail()
			return 0
		}
		v = v*10 + d
	}
	return v
}

// uint reads an unsigned integer of at most bits bits (strconv.ParseUint(text, 10, bits)).
func (r *jsonReader) uint(bits int) uint64 {
	return r.digits(r.number(), uint64(1)<<uint(bits)-1)
}

func (r *jsonReader) u32() uint32 { return uint32(r.uint(32)) }

// int reads a signed integer (strconv.ParseInt(text, 10, strconv.IntSize)).
func (r *jsonReader) int() int {
	t := r.number()
	neg := len(t) > 0 && t[0] == '-'
	if len(t) > 0 && (t[0] == '-' || t[0] == '+') {
		t = t[1:]
	}
	max := uint64(1)<<(strconv.IntSize-1) - 1
	if neg {
		return int(-r.digits(t, max+1))
	}
	return int(r.digits(t, max))
}

func (r *jsonReader) bool() bool {
	r.ws()
	switch {
	case len(r.b)-r.i >= 4 && string(r.b[r.i:r.i+4]) == "true":
		r.i += 4
		return true
	case len(r.b)-r.i >= 5 && string(r.b[r.i:r.i+5]) == "false":
		r.i += 5
		return false
	}
	r.fail()
	return false
}

// skip reads any value.
func (r *jsonReader) skip() {
	switch r.peek() {
	case '{':
		for more := r.object(); more; more = r.nextMember() {
			r.key()
			r.skip()
		}
	case '[':
		for more := r.array(); more; more = r.nextItem() {
			r.skip()
		}
	case '"':
		r.rawString()
	case 't', 'f':
		r.bool()
	case 'n':
		if !r.null() {
			r.fail()
		}
	default:
		r.number()
	}
}

// optStr is a pointer to a string, nil for null (ParentRef's optional fields).
func (r *jsonReader) optStr() *string {
	if r.null() {
		return nil
	}
	s := r.sym()
	return &s
}

func (r *jsonReader) destination(d *Destination) {
	for more := r.object(); more; more = r.nextMember() {
		switch string(r.key()) {
		case "name":
			d.Name = r.str()
		case "route":
			for more := r.object(); more; more = r.nextMember() {
				switch string(r.key()) {
				case "kind":
					d.Route.Kind = r.sym()
				case "namespace":
					d.Route.Namespace = r.sym()
				case "name":
					d.Route.Name = r.str()
				case "rule":
					d.Route.Rule = r.int()
				case "ruleName":
					d.Route.RuleName = r.str()
				default:
					r.skip()
				}
			}
		case "gateway":
			for more := r.object(); more; more = r.nextMember() {
				switch string(r.key()) {
				case "namespace":
					d.Gateway.Namespace = r.sym()
				case "name":
					d.Gateway.Name = r.sym()
				default:
					r.skip()
				}
			}
		case "listeners":
			d.Listeners = []ListenerRef{} // [] is an empty slice, as encoding/json makes it
			for more := r.array(); more; more = r.nextItem() {
				d.Listeners = append(d.Listeners, ListenerRef{})
				l := &d.Listeners[len(d.Listeners)-1]
				for more := r.object(); more; more = r.nextMember() {
					switch string(r.key()) {
					case "name":
						l.Name = r.sym()
					case "port":
						l.Port = r.u32()
					case "listenerSet":
						l.ListenerSet = r.sym()
					default:
						r.skip()
					}
				}
			}
		case "key":
			d.Key = r.str()
		case "knobs":
			if r.null() {
				d.Knobs = nil
				continue
			}
			d.Knobs = new(Knobs)
			for more := r.object(); more; more = r.nextMember() {
				switch string(r.key()) {
				case "rebalanceOnNoEndpoints":
					r.knob(&d.Knobs.RebalanceOnNoEndpoints)
				case "rebalanceOnNoReadyEndpoints":
					r.knob(&d.Knobs.RebalanceOnNoReadyEndpoints)
				default:
					r.skip()
				}
			}
		case "settings":
			r.sets = r.sets[:0]
			for more := r.array(); more; more = r.nextItem() {
				r.sets = append(r.sets, Setting{})
				r.setting(&r.sets[len(r.sets)-1])
			}
			// One allocation of the right size ([] is an empty slice, as encoding/json makes it).
			d.Settings = append(make([]Setting, 0, len(r.sets)), r.sets...)
		case "excluded":
			d.Excluded = []Excluded{}
			for more := r.array(); more; more = r.nextItem() {
				d.Excluded = append(d.Excluded, Excluded{})
				x := &d.Excluded[len(d.Excluded)-1]
				for more := r.object(); more; more = r.nextMember() {
					switch string(r.key()) {
					case "name":
						x.Name = r.str()
					case "weight":
						x.Weight = r.u32()
					case "reason":
						x.Reason = r.sym()
					default:
						r.skip()
					}
				}
			}
		case "backendWeights":
			for more := r.object(); more; more = r.nextMember() {
				switch string(r.key()) {
				case "valid":
					d.BackendWeights.Valid = r.u32()
				case "invalid":
					d.BackendWeights.Invalid = r.u32()
				case "noEndpoints":
					d.BackendWeights.NoEndpoints = r.u32()
				default:
					r.skip()
				}
			}
		case "directResponse":
			if r.null() {
				d.DirectResponse = nil
				continue
			}
			d.DirectResponse = new(DirectResponse)
			for more := r.object(); more; more = r.nextMember() {
				if string(r.key()) == "statusCode" {
					d.DirectResponse.StatusCode = r.u32()
				} else {
					r.skip()
				}
			}
		default:
			r.skip()
		}
	}
}

func (r *jsonReader) knob(kn *Knob) {
	for more := r.object(); more; more = r.nextMember() {
		switch string(r.key()) {
		case "value":
			kn.Value = r.bool()
		case "policy":
			kn.Policy = r.sym()
		case "scope":
			kn.Scope = r.sym()
		default:
			r.skip()
		}
	}
}

func (r *jsonReader) setting(s *Setting) {
	for more := r.object(); more; more = r.nextMember() {
		switch string(r.key()) {
		case "name":
			s.Name = r.str()
		case "weight":
			s.Weight = r.u32()
		case "priority":
			s.Priority = r.u32()
		case "protocol":
			s.Protocol = r.sym()
		case "forceHTTP1Upstream":
			s.ForceHTTP1Upstream = r.bool()
		case "addressType":
			s.AddressType = r.sym()
		case "ipFamily":
			s.IPFamily = r.sym()
		case "endpoints":
			r.eps = r.eps[:0]
			for more := r.array(); more; more = r.nextItem() {
				r.eps = append(r.eps, Endpoint{})
				r.endpoint(&r.eps[len(r.eps)-1])
			}
			s.Endpoints = append(make([]Endpoint, 0, len(r.eps)), r.eps...)
		case "preferLocal":
			if r.null() {
				s.PreferLocal = nil
				continue
			}
			s.PreferLocal = new(PreferLocal)
			for more := r.object(); more; more = r.nextMember() {
				switch string(r.key()) {
				case "minEndpointsThreshold":
					s.PreferLocal.MinEndpointsThreshold = r.uint(64)
				case "force":
					for more := r.object(); more; more = r.nextMember() {
						if string(r.key()) == "minEndpointsInZoneThreshold" {
							s.PreferLocal.Force.MinEndpointsInZoneThreshold = r.uint(64)
						} else {
							r.skip()
						}
					}
				default:
					r.skip()
				}
			}
		case "metadata":
			if r.null() {
				s.Metadata = nil
				continue
			}
			s.Metadata = new(Metadata)
			r.metadata(s.Metadata)
		case "invalid":
			s.Invalid = r.bool()
		case "isDynamicResolver":
			s.IsDynamicResolver = r.bool()
		case "isCustomBackend":
			s.IsCustomBackend = r.bool()
		case "sharedCluster":
			s.SharedCluster = r.bool()
		default:
			r.skip()
		}
	}
}

func (r *jsonReader) endpoint(e *Endpoint) {
	for more := r.object(); more; more = r.nextMember() {
		switch string(r.key()) {
		case "host":
			e.Host = r.str()
		case "port":
			e.Port = r.u32()
		case "zone":
			e.Zone = r.sym()
		case "draining":
			e.Draining = r.bool()
		case "hostname":
			e.Hostname = r.str()
		case "path":
			e.Path = r.str()
		default:
			r.skip()
		}
	}
}

func (r *jsonReader) metadata(m *Metadata) {
	for more := r.object(); more; more = r.nextMember() {
		switch string(r.key()) {
		case "kind":
			m.Kind = r.sym()
		case "name":
			m.Name = r.str()
		case "namespace":
			m.Namespace = r.sym()
		case "sectionName":
			m.SectionName = r.sym()
		case "annotations":
			m.Annotations = []Annotation{}
			for more := r.array(); more; more = r.nextItem() {
				m.Annotations = append(m.Annotations, Annotation{})
				a := &m.Annotations[len(m.Annotations)-1]
				for more := r.object(); more; more = r.nextMember() {
					switch string(r.key()) {
					case "key":
						a.Key = r.sym()
					case "value":
						a.Value = r.str()
					default:
						r.skip()
					}
				}
			}
		default:
			r.skip()
		}
	}
}

func (r *jsonReader) routeStatus(st *RouteStatus) {
	for more := r.object(); more; more = r.nextMember() {
		switch string(r.key()) {
		case "kind":
			st.Kind = r.sym()
		case "namespace":
			st.Namespace = r.sym()
		case "name":
			st.Name = r.str()
		case "parentRef":
			r.parentRef(&st.ParentRef)
		case "conditions":
			st.Conditions = []Condition{}
			for more := r.array(); more; more = r.nextItem() {
				st.Conditions = append(st.Conditions, Condition{})
				c := &st.Conditions[len(st.Conditions)-1]
				for more := r.object(); more; more = r.nextMember() {
					switch string(r.key()) {
					case "type":
						c.Type = r.sym()
					case "status":
						c.Status = r.sym()
					case "reason":
						c.Reason = r.sym()
					case "message":
						c.Message = r.sym()
					default:
						r.skip()
					}
				}
			}
		default:
			r.skip()
		}
	}
}

func (r *jsonReader) parentRef(p *ParentRef) {
	for more := r.object(); more; more = r.nextMember() {
		switch string(r.key()) {
		case "group":
			p.Group = r.optStr()
		case "kind":
			p.Kind = r.optStr()
		case "namespace":
			p.Namespace = r.optStr()
		case "name":
			p.Name = r.str()
		case "sectionName":
			p.SectionName = r.optStr()
		case "port":
			if r.null() {
				p.Port = nil
			} else {
				v := r.u32()
				p.Port = &v
			}
		default:
			r.skip()
		}
	}
}

// change reads a change's name as the library writes it (changeKind).
func (r *jsonReader) change() ChangeKind {
	switch string(r.rawString()) {
	case "Added":
		return Added
	case "Changed":
		return Changed
	case "Removed":
		return Removed
	}
	return 0
}

// decodeChanges reads the change set document into out. Nothing in out
// points into raw: the library's buffer may be freed afterwards.
func decodeChanges(raw []byte, out *Changes) error {
	r := &jsonReader{b: raw}
	for more := r.object(); more; more = r.nextMember() {
		switch string(r.key()) {
		case "destinations":
			for more := r.array(); more; more = r.nextItem() {
				out.Destinations = append(out.Destinations, DestinationChange{})
				r.destinationChange(&out.Destinations[len(out.Destinations)-1])
			}
		case "routeStatuses":
			for more := r.array(); more; more = r.nextItem() {
				out.RouteStatuses = append(out.RouteStatuses, RouteStatusChange{})
				r.routeStatusChange(&out.RouteStatuses[len(out.RouteStatuses)-1])
			}
		default:
			r.skip()
		}
	}
	if r.err == nil && r.peek() != 0 {
		r.fail()
	}
	return r.err
}

func (r *jsonReader) destinationChange(x *DestinationChange) {
	for more := r.object(); more; more = r.nextMember() {
		switch string(r.key()) {
		case "change":
			x.Change = r.change()
		case "key":
			x.Key = r.str()
		case "destination":
			if !r.null() {
				x.Destination = new(Destination)
				r.destination(x.Destination)
			}
		default:
			r.skip()
		}
	}
}

func (r *jsonReader) routeStatusChange(x *RouteStatusChange) {
	for more := r.object(); more; more = r.nextMember() {
		switch string(r.key()) {
		case "change":
			x.Change = r.change()
		case "kind":
			x.Kind = r.sym()
		case "namespace":
			x.Namespace = r.sym()
		case "name":
			x.Name = r.str()
		case "statuses":
			if r.null() {
				continue
			}
			x.Statuses = []RouteStatus{}
			for more := r.array(); more; more = r.nextItem() {
				x.Statuses = append(x.Statuses, RouteStatus{})
				r.routeStatus(&x.Statuses[len(x.Statuses)-1])
			}
		default:
			r.skip()
		}
	}
}
