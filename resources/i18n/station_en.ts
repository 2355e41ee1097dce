<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>ApprovalDialog</name>
    <message>
        <source>why this is right (required)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Supervisor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>scan a supervisor&apos;s badge (or type badge and PIN)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approve  [Enter]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel  [Esc]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A supervisor must scan their badge (or type badge and PIN).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A reason is required.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>BarChart</name>
    <message>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CameraView</name>
    <message>
        <source>{camera}: starting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{device}: {state}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no picture yet</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Checklist</name>
    <message>
        <source>1 yes · 2 no · 3 does not apply · Backspace back  (or CMD-YES / NO / NA)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Graded. Backspace changes the last answer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scan a unit to grade it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>does not apply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>YES</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NO</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ChoicesModel</name>
    <message>
        <source>typed by hand</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DashboardScreen</name>
    <message>
        <source>Today  F2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last 7 days  F3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading the figures…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Per bench  F4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Per user  F4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Charts  F6</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Table  F6</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disk: {per_day} a day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disk: {per_day} a day, {days} days left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disk: not known ({error})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The figures could not be read: {error}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accuracy {value}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weight mismatch {value}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Seconds / order {value}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exceptions {n}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Box use {value}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Return grades {n}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dispositions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>today</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>last 7 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{span} · {who} · updated {when}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>per user</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>per bench</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Packs per hour {rate} ({n} packs)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Packs per hour by day {rate} ({n} packs)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DeviceBridge</name>
    <message>
        <source>cannot start: {error}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DeviceForm</name>
    <message>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scanner</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Port</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Baud</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Suffix</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Camera</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>serial (USB or RS-232)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>wedge (types as a keyboard)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>camera (decodes frames)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>emulated (demo)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scale</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>protocol default</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>VID:PID, empty: the first scale found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>USB id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Protocol</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Demo weight</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>mt-sics (Mettler Toledo SICS, serial)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>nci (NCI / Avery, serial)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>toledo8217 (Toledo 8217, serial)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>hid (USB HID POS scale)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Printer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>tcp://HOST:PORT, serial:PATH?baud=N, usb:VID:PID, cups:QUEUE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resolution</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>zpl (label printer)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>escpos (receipt printer)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>lp (CUPS queue, no status)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>an index (0), a device (/dev/video0), a video file or a URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Source</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>opencv (photo camera)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DeviceState</name>
    <message>
        <source>connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>connecting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reconnecting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>disconnected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>error</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DevicesScreen</name>
    <message>
        <source>Read weight</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Print test label</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Camera frame</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Find ports</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Undo changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Devices and settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>camera index {n}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ports could not be listed: {error}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trying…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>frame of {w}×{h}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing changed: {path} already says this.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved to {path} ({fields}). The devices take the new settings when the station restarts.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not saved: {error}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Disposition</name>
    <message>
        <source>restock</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>refurbish</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>resell open box</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>liquidate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>recycle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>return to vendor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>quarantine</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>EvidenceReport</name>
    <message>
        <source>Evidence of order {order}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>When</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Who</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scanned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Verdict</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SKU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Qty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Serial / lot</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Undone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>undone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Grams</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Expected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>±</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Decision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approved by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>yes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no (purged or missing)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SHA-256</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>On disk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Label</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copies</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Printed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Printer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Queued</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SSCC {sscc} · box {box} · weighed {w} g, expected {e} g: {status}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opened {opened}, closed {closed}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Package {no}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scans</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weighings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Photos</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Labels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Role</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Did</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Requested by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No package.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Order status: {status}. Record taken at station {station}; times in UTC.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Packing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Station</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Started</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ended</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>People</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Packages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exceptions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Documents</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>EvidenceScreen</name>
    <message>
        <source>Scan or type an order, tracking number or name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Find an order to see what was packed and proven.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export PDF  [F9]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Looking up “{text}”…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The PDF could not be written: {error}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PDF written: {path}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No order found for “{text}”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Order {order}: {packages} package(s). F9 exports it as a PDF.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} orders match: ↑/↓ and Enter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The record could not be read: {error}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ExceptionDialog</name>
    <message>
        <source>Short-ship: supervisor approval</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ship fewer units of a line than ordered.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Damaged item: supervisor approval</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A unit is damaged: recorded, and replaced or shipped short.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a replacement unit is packed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{no} · {sku} · {name} ({left} left)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Line</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ExceptionKind</name>
    <message>
        <source>short-ship</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>damaged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>damaged, shipped short</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>quantity override</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>weight override</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>GroupsModel</name>
    <message>
        <source>All</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Packs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Packs / h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scans</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accuracy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exceptions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mismatch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>s / order</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Box use</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Returns</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Batch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Instructions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Inserts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weighed packages that failed their weight check at least once</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Orders picked by their item&apos;s scan in single-item batch mode</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Packing instructions confirmed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Inserts added / missing at completion</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ItemPanel</name>
    <message>
        <source>Customer says</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Observed [F3]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Grade</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Photos [F4]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Observed reason — press its number (Esc: keep): {reasons}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No unit yet: scan one from the parcel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown item</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>⚠ POSSIBLE FRAUD: {why}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not graded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} taken</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a photo is needed before disposal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HELD: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Answer the checklist to grade the unit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{disposition} · {refund}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>override</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DISPOSED: {text}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ItemVerdict</name>
    <message>
        <source>expected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not in this return</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not from this order</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown item</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ItemsModel</name>
    <message>
        <source>Tag</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SKU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Product</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Verdict</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Serial / lot</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Grade</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Goes to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refund</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown item</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>held</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>KioskGuard</name>
    <message>
        <source>Kiosk: to leave, lock (Ctrl+L), scan a supervisor&apos;s badge, then Ctrl+Q</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LabelFlow</name>
    <message>
        <source>label preview failed: {error}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LabelPanel</name>
    <message>
        <source>Label {number}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shipping</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Packing slip</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gift note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Return tag</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{label}: {state}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LabelView</name>
    <message>
        <source>printed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>printing…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>queued</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>waiting: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>failed: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no preview of {language} labels</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LinesModel</name>
    <message>
        <source>SKU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Product</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Barcode</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Packed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(short {n})</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LoginScreen</name>
    <message>
        <source>Sign-in failed: {error}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>NavBar</name>
    <message>
        <source>Lock  Ctrl+L</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>OfflineBanner</name>
    <message>
        <source>never</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>OFFLINE — keep packing. {queue} event(s) wait to be sent to the hub; last sync {last}.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>OrderHeader</name>
    <message>
        <source>No order open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scan an order or tote barcode, or type its number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Order {number}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Order {number} packed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scan the next order or tote</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Box {n}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>URGENT</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>EXPRESS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GIFT</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CROSS-BORDER</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Channel: {channel}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ship: {method}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tote: {tote}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gift note: “{note}”</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>OrderMix</name>
    <message>
        <source>single item</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>multi-unit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>mixed</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>OutboundPanel</name>
    <message>
        <source>Shipped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No outbound record here for this parcel&apos;s order.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shipped: order {order}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Packed by {who} at {when}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Packed at {when}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no photo of the package</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>serials</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>lots</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not weighed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(expected {g:.0f} g)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Box {no}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{box}: {grams}, weight {status}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>OverrideDialog</name>
    <message>
        <source>Override {tag}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The rules say: {disposition}, {refund}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>why (required)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>scan the supervisor&apos;s badge (or type badge and PIN)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Goes to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refund</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Partial share</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approved by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Override  [Enter]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel  [Esc]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A reason is required.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PackInfoPanel</name>
    <message>
        <source>Confirm the instructions: {key} or CMD-CONFIRM-INSTR</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Instructions confirmed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HAZMAT {text} ({sku})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add ({key} all):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> — stock low: {n}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PackLayout</name>
    <message>
        <source>Scan, or type a code and press Enter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%v / %m units</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Undo  [F5]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New box  [F6]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weigh  [F7]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Supervisor  [F8]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A supervisor accepts the package&apos;s weight</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Complete  [F9]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Acknowledge  [F12/Esc]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Orders to pack</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last scans</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PackProof</name>
    <message>
        <source>no stable weight on the scale: put the box on it and let it settle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Box: none fits — {why}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Box: {code}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{void:.0f}% void</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The package&apos;s weight.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Supervisor: accept this weight</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PackScreen</name>
    <message>
        <source>Undo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New box</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Complete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weigh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Confirm instructions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Inserts added</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Short-ship</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Damaged item</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{what}: scan an order first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>STOP — {message}. Put the items aside and scan the next order.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>held back (not counted): {what}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not stored: {error}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Order {number} resumed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{number} · {lines} line(s)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PlaceholderScreen</name>
    <message>
        <source>{title}

This screen is not built yet.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RateChoiceDialog</name>
    <message>
        <source>Carrier rate for {number}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Press 1-9 to choose; Esc: the rule&apos;s choice is bought</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RateChoiceFlow</name>
    <message>
        <source>Rate {n}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Refund</name>
    <message>
        <source>full refund</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>partial refund {pct}%</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no refund</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>partial refund</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReturnOutcome</name>
    <message>
        <source>{tag} grade {grade}: {disposition}, {refund}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Parcel done: %n unit(s) inspected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>held: {units}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not received: {units}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReturnReason</name>
    <message>
        <source>not given</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>changed mind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>wrong size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>defective</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>damaged in transit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not as described</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>wrong item sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>arrived late</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no fault found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>other</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReturnVerdict</name>
    <message>
        <source>EXPECTED</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NOT IN THIS RETURN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NOT FROM THIS ORDER</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>UNKNOWN ITEM</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SCAN SERIAL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SCAN LOT</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SCAN EXPIRY</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NOTHING READ</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PARCEL OPEN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PARCEL RESUMED</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>RMA CREATED</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NO RETURN FOUND</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>RETURN CLOSED</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>FINISH THE PARCEL FIRST</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NO PARCEL OPEN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>USER CHANGED</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>UNDONE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NOTHING TO UNDO</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CANCELLED</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GRADED</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ANSWER THE CHECKLIST</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>OVERRIDDEN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PHOTO KEPT</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PHOTO NEEDED</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DISPOSED</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HELD</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NOT ALLOWED</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SUPERVISOR NEEDED</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NOT COMPLETE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PARCEL DONE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CHOOSE THE RETURN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ACKNOWLEDGED</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReturnsActions</name>
    <message>
        <source>Undo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Parcel done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Grade</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no camera at this bench</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no photo taken: {error}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Photo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dispose</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>photo needed, no camera at this bench</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>photo needed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>set aside by the inspector</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hold</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New RMA</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New RMA: supervisor approval</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dispose without a photo: supervisor approval</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Override</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReturnsLayout</name>
    <message>
        <source>Scan the return label, RMA, order or tracking number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scan, or type an RMA, order, tracking number or customer name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Undo  [F5]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Photo  [F4]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Override  [F8]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dispose  [F10]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hold  [F6]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Parcel done  [F9]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New RMA  [F2]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Acknowledge  [F12/Esc]</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReturnsScreen</name>
    <message>
        <source>No unit on the bench: scan the unit first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{code} is not a reason here; the reasons: {reasons}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason not chosen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{why}. No supervisor here: Esc, then Hold [F6].</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No parcel open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{rma} · order {order}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Still expected: {what}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Everything announced has arrived</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{rma} · order {order} · {status} · {units} unit(s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} returns match “{text}”: ↑/↓ and Enter, or scan the RMA</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Role</name>
    <message>
        <source>packer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>inspector</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>supervisor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>admin</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Screen</name>
    <message>
        <source>Pack</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Returns</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Evidence</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dashboard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Devices</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ShippingPanel</name>
    <message>
        <source>Awaiting carrier label: {count}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose the rate: F10 then 1-9, or scan CMD-RATE-n (the rule&apos;s choice in {s} s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No rate: {why}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Carrier label: -</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{number}: awaiting carrier label{why}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{number}: no carrier label: {why}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{number}: {carrier} {service} · {price} · actual {actual} · billed {billed} · tracking {tracking}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>box {k} of {n}: {tracking}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> · master {tracking}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{number}: {carrier} {service} · {price} · {boxes}{master}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SignInForm</name>
    <message>
        <source>Pack station — {station}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scan your badge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>or type your PIN and press Enter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PIN</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StartWindow</name>
    <message>
        <source>Pack station — {station}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Badge read — signing in as soon as the station is ready</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PIN taken — signing in as soon as the station is ready</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StationStatusBar</name>
    <message>
        <source>Sync: no status yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Labels: {n} waiting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sync: not enrolled · {queue} waiting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enrol with `station enroll --hub URL --code CODE`; packing goes on.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>online</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>OFFLINE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>never</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sync: {state} · {queue} waiting · last {last}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>paper low</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StationWindow</name>
    <message>
        <source>Pack station — {station}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Locked after idle time: {name} was signed out.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Locked: {name} was signed out.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name} signed in</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Utilisation</name>
    <message>
        <source>≥ {n} %</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Verdict</name>
    <message>
        <source>OK</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ORDER PACKED</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>WRONG ITEM</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TOO MANY</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>FINISH THE KIT</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>OPEN AT ANOTHER BENCH</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>UNKNOWN CODE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NOTHING READ</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SCAN SERIAL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SCAN LOT</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SCAN EXPIRY</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SERIAL ALREADY USED</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>EXPIRED</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DO NOT PACK</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>UNKNOWN ORDER</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NO ORDER OPEN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ORDER OPEN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ORDER RESUMED</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SCAN THE ITEMS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NEW BOX</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>BOX IS EMPTY</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>BOX CHOSEN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>UNDONE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NOTHING TO UNDO</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CANCELLED</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>QUANTITY SET</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SUPERVISOR NEEDED</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NOT ALLOWED</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>USER CHANGED</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ACKNOWLEDGED</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>EXCEPTION RECORDED</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NOT COMPLETE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>WEIGHT OK</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>WRONG WEIGHT</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SCALE NOT STABLE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SUPERVISOR CHECK</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>WEIGHT ACCEPTED</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SCALE DISAGREES</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PHOTO NEEDED</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PHOTO TAKEN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>INSTRUCTIONS CONFIRMED</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NOTHING TO CONFIRM</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>INSERT ADDED</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NOT FOR THIS ORDER</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NOTE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CHECK</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>STOP</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>VerdictBanner</name>
    <message>
        <source>Scan an order or a tote</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>READY</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{code} was NOT counted. {ack} — then scan it again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DISK FULL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The scan was NOT stored: the station&apos;s disk is full. Call a supervisor to free space, then scan it again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NOT STORED</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scan it again. ({kind}: {error})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scan CMD-CONFIRM or press F12 / Esc to acknowledge</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>WeightDisplay</name>
    <message>
        <source>no scale</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expect: —</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expect {low:.3f}–{high:.3f} kg</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(+ unknown)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✔ WEIGHT OK</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✖ MISMATCH {diff}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>by history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>by expected weight</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>? SUPERVISOR CHECK</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✔ ACCEPTED</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not weighed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{kg:.3f} kg</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>settling…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✔ STABLE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>OVERLOAD</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>UNDERLOAD</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>BELOW ZERO</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SCALE FAULT</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MOVING</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Pack station cannot start</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
