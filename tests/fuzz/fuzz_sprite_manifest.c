/* fuzz_sprite_manifest: trickplay manifests from the cache (a damaged or
 * planted file) into a layout (cm_sprite_manifest_parse). Checks that what
 * parses is within the bounds the server relies on to name sheets. */
#include "fuzz.h"
#include "media/cm_sprite.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cm_sprite_info info;
    if (cm_sprite_manifest_parse((const char *)data, size, &info, NULL) == 0) {
        CHECK(info.interval > 0 && info.interval <= 3600);
        CHECK(info.tiles >= 1 && info.tiles <= CM_SPRITE_MAX_TILES);
        CHECK(info.sheets >= 1 && info.sheets <= CM_SPRITE_MAX_SHEETS);
        CHECK(info.columns >= 1 && info.rows >= 1);
        CHECK((long)info.sheets * info.columns * info.rows >= info.tiles);
        CHECK(info.tile_width >= 2 && info.tile_width <= CM_SPRITE_MAX_TILE_WIDTH);
    }
    return 0;
}
