/* Whether two IR entries serialize to the same bytes (ir_same.c). */
#ifndef RB_IR_IR_SAME_H
#define RB_IR_IR_SAME_H

#include "ir/ir.h"

/* One setting of a destination (rb__ir_destination_same compares them all). */
bool rb__ir_setting_same(const rb__ir_setting *a, const rb__ir_setting *b);
bool rb__ir_destination_same(const rb__ir_destination *a, const rb__ir_destination *b);
bool rb__ir_route_status_same(const rb__ir_route_status *a, const rb__ir_route_status *b);

#endif
