import { CalendarContract } from "@copkit/testing"
import { ICalendar } from "../src/index.js"

CalendarContract.suite("@copkit/calendar-ical", ICalendar.layer)
