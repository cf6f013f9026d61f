/*
 * Writing any view of a result (the IR, the xDS projection, an explanation)
 * through the writer: one mechanism for every rb_*_write and rb_*_to_buffer.
 */
#ifndef RB_API_VIEW_H
#define RB_API_VIEW_H

#include "core/mem.h"
#include "emit/writer.h"

/* Serializes one document on a fresh writer. */
typedef int (*rb__view_fn)(rb__writer *w, const void *subject);

/* Stream the view to `write`: RB_OK, RB_EINVAL (bad format), RB_EIO, RB_ENOMEM. */
int rb__view_write(const rb__mem *mem, rb__view_fn view, const void *subject, rb_format format,
                   rb_write_fn write, void *ud);

/* The view in a new NUL-terminated buffer, freed with rb_free. */
int rb__view_to_buffer(const rb__mem *mem, rb__view_fn view, const void *subject,
                       rb_format format, char **out, size_t *len);

#endif
