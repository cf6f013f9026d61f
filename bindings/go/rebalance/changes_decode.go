package rebalance

// A decoder for the change set document (rb_changes_to_buffer), written for
// its schema: encoding/json's reflection costs more than the engine's whole
// incremental translation of a change, and a change set is decoded after
// every one. It reads any valid JSON (members in any order, unknown members
// skipped, every escape) into the same values json.Unmarshal gives (the
// tests check both on every golden case), and fails on anything else.

import (
	"errors"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

var errSyntax = errors.New("rebalance: the library's JSON does not parse")

type jsonReader struct {
	b   []byte
	i   int
	err error
}

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

// object calls member for every member; member reads the value.
func (r *jsonReader) object(member func(key []byte)) {
	r.expect('{')
	if r.eat('}') {
		return
	}
	for r.err == nil {
		key := r.rawString()
		r.expect(':')
		member(key)
		if r.eat(',') {
			continue
		}
		r.expect('}')
		return
	}
}

// array calls item for every item; item reads it.
func (r *jsonReader) array(item func()) {
	r.expect('[')
	if r.eat(']') {
		return
	}
	for r.err == nil {
		item()
		if r.eat(',') {
			continue
		}
		r.expect(']')
		return
	}
}

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
	for r.i < len(r.b) {
		c := r.b[r.i]
		if c == '"' {
			r.i++
			return r.b[start : r.i-1]
		}
		if c == '\\' {
			return r.escaped(start)
		}
		if c < 0x20 {
			break
		}
		r.i++
	}
	r.fail()
	return nil
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

func (r *jsonReader) str() string {
	return string(r.rawString())
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

func (r *jsonReader) uint(bits int) uint64 {
	v, err := strconv.ParseUint(string(r.number()), 10, bits)
	if err != nil {
		r.fail()
	}
	return v
}

func (r *jsonReader) u32() uint32 { return uint32(r.uint(32)) }

func (r *jsonReader) int() int {
	v, err := strconv.ParseInt(string(r.number()), 10, strconv.IntSize)
	if err != nil {
		r.fail()
	}
	return int(v)
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
		r.object(func([]byte) { r.skip() })
	case '[':
		r.array(r.skip)
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
	s := r.str()
	return &s
}

func (r *jsonReader) destination(d *Destination) {
	r.object(func(k []byte) {
		switch string(k) {
		case "name":
			d.Name = r.str()
		case "route":
			r.object(func(k []byte) {
				switch string(k) {
				case "kind":
					d.Route.Kind = r.str()
				case "namespace":
					d.Route.Namespace = r.str()
				case "name":
					d.Route.Name = r.str()
				case "rule":
					d.Route.Rule = r.int()
				case "ruleName":
					d.Route.RuleName = r.str()
				default:
					r.skip()
				}
			})
		case "gateway":
			r.object(func(k []byte) {
				switch string(k) {
				case "namespace":
					d.Gateway.Namespace = r.str()
				case "name":
					d.Gateway.Name = r.str()
				default:
					r.skip()
				}
			})
		case "listeners":
			d.Listeners = []ListenerRef{} // [] is an empty slice, as encoding/json makes it
			r.array(func() {
				var l ListenerRef
				r.object(func(k []byte) {
					switch string(k) {
					case "name":
						l.Name = r.str()
					case "port":
						l.Port = r.u32()
					case "listenerSet":
						l.ListenerSet = r.str()
					default:
						r.skip()
					}
				})
				d.Listeners = append(d.Listeners, l)
			})
		case "key":
			d.Key = r.str()
		case "knobs":
			if r.null() {
				d.Knobs = nil
				return
			}
			d.Knobs = new(Knobs)
			r.object(func(k []byte) {
				switch string(k) {
				case "rebalanceOnNoEndpoints":
					r.knob(&d.Knobs.RebalanceOnNoEndpoints)
				case "rebalanceOnNoReadyEndpoints":
					r.knob(&d.Knobs.RebalanceOnNoReadyEndpoints)
				default:
					r.skip()
				}
			})
		case "settings":
			d.Settings = []Setting{}
			r.array(func() {
				d.Settings = append(d.Settings, Setting{})
				r.setting(&d.Settings[len(d.Settings)-1])
			})
		case "excluded":
			d.Excluded = []Excluded{}
			r.array(func() {
				var x Excluded
				r.object(func(k []byte) {
					switch string(k) {
					case "name":
						x.Name = r.str()
					case "weight":
						x.Weight = r.u32()
					case "reason":
						x.Reason = r.str()
					default:
						r.skip()
					}
				})
				d.Excluded = append(d.Excluded, x)
			})
		case "backendWeights":
			r.object(func(k []byte) {
				switch string(k) {
				case "valid":
					d.BackendWeights.Valid = r.u32()
				case "invalid":
					d.BackendWeights.Invalid = r.u32()
				case "noEndpoints":
					d.BackendWeights.NoEndpoints = r.u32()
				default:
					r.skip()
				}
			})
		case "directResponse":
			if r.null() {
				d.DirectResponse = nil
				return
			}
			d.DirectResponse = new(DirectResponse)
			r.object(func(k []byte) {
				if string(k) == "statusCode" {
					d.DirectResponse.StatusCode = r.u32()
				} else {
					r.skip()
				}
			})
		default:
			r.skip()
		}
	})
}

func (r *jsonReader) knob(kn *Knob) {
	r.object(func(k []byte) {
		switch string(k) {
		case "value":
			kn.Value = r.bool()
		case "policy":
			kn.Policy = r.str()
		case "scope":
			kn.Scope = r.str()
		default:
			r.skip()
		}
	})
}

func (r *jsonReader) setting(s *Setting) {
	r.object(func(k []byte) {
		switch string(k) {
		case "name":
			s.Name = r.str()
		case "weight":
			s.Weight = r.u32()
		case "priority":
			s.Priority = r.u32()
		case "protocol":
			s.Protocol = r.str()
		case "forceHTTP1Upstream":
			s.ForceHTTP1Upstream = r.bool()
		case "addressType":
			s.AddressType = r.str()
		case "ipFamily":
			s.IPFamily = r.str()
		case "endpoints":
			s.Endpoints = []Endpoint{}
			r.array(func() {
				var e Endpoint
				r.object(func(k []byte) {
					switch string(k) {
					case "host":
						e.Host = r.str()
					case "port":
						e.Port = r.u32()
					case "zone":
						e.Zone = r.str()
					case "draining":
						e.Draining = r.bool()
					case "hostname":
						e.Hostname = r.str()
					case "path":
						e.Path = r.str()
					default:
						r.skip()
					}
				})
				s.Endpoints = append(s.Endpoints, e)
			})
		case "preferLocal":
			if r.null() {
				s.PreferLocal = nil
				return
			}
			s.PreferLocal = new(PreferLocal)
			r.object(func(k []byte) {
				switch string(k) {
				case "minEndpointsThreshold":
					s.PreferLocal.MinEndpointsThreshold = r.uint(64)
				case "force":
					r.object(func(k []byte) {
						if string(k) == "minEndpointsInZoneThreshold" {
							s.PreferLocal.Force.MinEndpointsInZoneThreshold = r.uint(64)
						} else {
							r.skip()
						}
					})
				default:
					r.skip()
				}
			})
		case "metadata":
			if r.null() {
				s.Metadata = nil
				return
			}
			s.Metadata = new(Metadata)
			m := s.Metadata
			r.object(func(k []byte) {
				switch string(k) {
				case "kind":
					m.Kind = r.str()
				case "name":
					m.Name = r.str()
				case "namespace":
					m.Namespace = r.str()
				case "sectionName":
					m.SectionName = r.str()
				case "annotations":
					m.Annotations = []Annotation{}
					r.array(func() {
						var a Annotation
						r.object(func(k []byte) {
							switch string(k) {
							case "key":
								a.Key = r.str()
							case "value":
								a.Value = r.str()
							default:
								r.skip()
							}
						})
						m.Annotations = append(m.Annotations, a)
					})
				default:
					r.skip()
				}
			})
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
	})
}

func (r *jsonReader) routeStatus(st *RouteStatus) {
	r.object(func(k []byte) {
		switch string(k) {
		case "kind":
			st.Kind = r.str()
		case "namespace":
			st.Namespace = r.str()
		case "name":
			st.Name = r.str()
		case "parentRef":
			p := &st.ParentRef
			r.object(func(k []byte) {
				switch string(k) {
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
			})
		case "conditions":
			st.Conditions = []Condition{}
			r.array(func() {
				var c Condition
				r.object(func(k []byte) {
					switch string(k) {
					case "type":
						c.Type = r.str()
					case "status":
						c.Status = r.str()
					case "reason":
						c.Reason = r.str()
					case "message":
						c.Message = r.str()
					default:
						r.skip()
					}
				})
				st.Conditions = append(st.Conditions, c)
			})
		default:
			r.skip()
		}
	})
}

// decodeChanges reads the change set document into out.
func decodeChanges(raw []byte, out *Changes) error {
	r := &jsonReader{b: raw}
	r.object(func(k []byte) {
		switch string(k) {
		case "destinations":
			r.array(func() {
				var x DestinationChange
				r.object(func(k []byte) {
					switch string(k) {
					case "change":
						x.Change = changeKind(string(r.rawString()))
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
				})
				out.Destinations = append(out.Destinations, x)
			})
		case "routeStatuses":
			r.array(func() {
				var x RouteStatusChange
				r.object(func(k []byte) {
					switch string(k) {
					case "change":
						x.Change = changeKind(string(r.rawString()))
					case "kind":
						x.Kind = r.str()
					case "namespace":
						x.Namespace = r.str()
					case "name":
						x.Name = r.str()
					case "statuses":
						if r.null() {
							return
						}
						x.Statuses = []RouteStatus{}
						r.array(func() {
							x.Statuses = append(x.Statuses, RouteStatus{})
							r.routeStatus(&x.Statuses[len(x.Statuses)-1])
						})
					default:
						r.skip()
					}
				})
				out.RouteStatuses = append(out.RouteStatuses, x)
			})
		default:
			r.skip()
		}
	})
	if r.err == nil && r.peek() != 0 {
		r.fail()
	}
	return r.err
}
