-- The reviewer's comment on an approval or a rejection of a segmentation
-- policy (why it was approved as is, or what to change before the next
-- proposal).

ALTER TABLE segmentation_policies ADD COLUMN decision_comment TEXT
