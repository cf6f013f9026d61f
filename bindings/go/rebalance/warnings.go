package rebalance

// #include <stdlib.h>
// #include <rebalance/rebalance.h>
import "C"

import (
	"context"
	"fmt"
)

// Warnings reads and translates the inputs as TranslateInputs does and
// returns what the library warns about (rb_input_warning, then
// rb_result_warning): unknown fields of structs whose fields are all known
// ("did you mean ..."), unknown kinds and apiVersions of the API groups read,
// Services without any EndpointSlice, listener Secrets absent from the input,
// routes naming no Gateway of ours, nothing reaching a Gateway of ours, and
// which GatewayClass was used when the input names none of ours. Each is an
// *Error with Code 0 (file, line, column, JSON pointer, message); an empty
// list means none. `rebalance --strict` refuses inputs with warnings.
func (t *Translator) Warnings(inputs ...Input) ([]*Error, error) {
	return t.warnings(inputSources(inputs))
}

// WarningsFiles is Warnings for files.
func (t *Translator) WarningsFiles(paths ...string) ([]*Error, error) {
	files := make([]File, len(paths))
	for i, p := range paths {
		files[i].Path = p
	}
	return t.warnings(fileSources(files))
}

func (t *Translator) warnings(sources []Source) ([]*Error, error) {
	var list []*Error
	_, err := t.withInput(context.Background(), sources, func(in *C.rb_input) ([]byte, error) {
		var res *C.rb_result
		if rc := C.rb_translate(&res, in, t.opts); rc != C.RB_OK {
			return nil, fmt.Errorf("rebalance: translate: %w", Code(rc))
		}
		defer C.rb_result_free(res)
		for i := C.size_t(0); i < C.rb_input_warning_count(in); i++ {
			list = append(list, warningOf(C.rb_input_warning(in, i)))
		}
		for i := C.size_t(0); i < C.rb_result_warning_count(res); i++ {
			list = append(list, warningOf(C.rb_result_warning(res, i)))
		}
		return nil, nil
	})
	if err != nil {
		return nil, err
	}
	return list, nil
}

// warningOf copies one warning record into Go memory.
func warningOf(d *C.rb_diag) *Error {
	return &Error{
		Code:    Code(C.rb_diag_code(d)),
		File:    C.GoString(C.rb_diag_source(d)),
		Line:    int(C.rb_diag_line(d)),
		Column:  int(C.rb_diag_column(d)),
		Offset:  int64(C.rb_diag_offset(d)),
		Path:    C.GoString(C.rb_diag_path(d)),
		Message: C.GoString(C.rb_diag_message(d)),
	}
}
