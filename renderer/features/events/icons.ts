import { IconCalendarEvent, IconDots, IconFileText, IconMail, IconMoodSmile, IconMoodSad, IconNote, IconPhone, IconTrophy } from '@tabler/icons-react';
import type { EventType } from '../../../contract/events';

export const eventIcons: Record<EventType, typeof IconCalendarEvent> = {
  meeting: IconCalendarEvent,
  call: IconPhone,
  email: IconMail,
  proposal: IconFileText,
  satisfaction_survey: IconMoodSmile,
  note: IconNote,
  won_deal: IconTrophy,
  lost_deal: IconMoodSad,
  other: IconDots,
};

export const eventColors: Record<EventType, string> = {
  meeting: 'indigo',
  call: 'cyan',
  email: 'teal',
  proposal: 'grape',
  satisfaction_survey: 'yellow',
  note: 'gray',
  won_deal: 'green',
  lost_deal: 'red',
  other: 'orange',
};
