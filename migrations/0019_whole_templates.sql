-- A template replaces the invitation's words whole: a subject and a body that must hold
-- {link}. Templates of before, which only added to the fixed words, become the fixed words
-- with theirs where the personal message goes, and their subject addition after the fixed
-- subject: every e-mail they send reads as it did.
ALTER TABLE message_templates ADD COLUMN subject TEXT NOT NULL DEFAULT '';
UPDATE message_templates
SET subject = '{organisation} invites you to your member portal' || coalesce(': ' || subject_addition, ''),
    body = replace('Hello {first_name},

{organisation} invites you to its member portal, where you can see the profile of {member_name}: memberships, bookings and files.

{message}

Set your password with this link:

{link}

The link works once and expires on {expiry}. If it has expired, ask {organisation} for a new one.

If you were not expecting this e-mail, you can ignore it.', '{message}', body);
ALTER TABLE message_templates DROP COLUMN subject_addition;

-- An invitation keeps the words it was sent with, for a resend: the template's subject and
-- body (NULL: the built-in ones) and the personal message alone.
ALTER TABLE invitations ADD COLUMN subject_template TEXT;
ALTER TABLE invitations ADD COLUMN body_template TEXT;
UPDATE invitations
SET subject_template = '{organisation} invites you to your member portal: ' || subject_addition
WHERE subject_addition IS NOT NULL;
ALTER TABLE invitations DROP COLUMN subject_addition;
