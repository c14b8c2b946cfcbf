import { CalendarContract } from "@copkit/testing/contracts"
import { ICalendar } from "../src/index.js"

CalendarContract.suite("@copkit/calendar-ical", ICalendar.layer)
