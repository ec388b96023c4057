-- Device lists are ordered by asset tag then id: an index in that order lets
-- a page be read from the index instead of sorting the whole tenant.
-- It also serves look-ups by asset tag, so the narrower index goes.
CREATE INDEX devices_list_order ON devices (tenant_id, asset_tag, id);
DROP INDEX devices_asset_tag;
