<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1">
<context>
    <name></name>
    <message>
        <location filename="../../octasip/ui/first_run.py" line="14"/>
        <source>&lt;h2&gt;Your privacy in OctaSIP&lt;/h2&gt;&lt;p&gt;&lt;b&gt;What OctaSIP stores, only on this computer:&lt;/b&gt; your SIP accounts (without passwords), your call history, your contacts, your settings, and a record of the permissions you grant. Call recording is off unless you turn it on.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Where and how:&lt;/b&gt; in one database in your user data folder, encrypted with SQLCipher (AES-256). Its key, and your SIP passwords, are kept in your system keyring (GNOME Keyring, KWallet, the macOS Keychain or the Windows Credential Manager), never in a file.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Never sent anywhere:&lt;/b&gt; OctaSIP has no analytics, no telemetry and no cloud. The only network traffic is your calls, to the SIP provider you configure, over TLS with encrypted media (SRTP) where the provider supports it.&lt;/p&gt;&lt;p&gt;&lt;b&gt;You decide:&lt;/b&gt; the microphone, your contacts and writing files outside OctaSIP&apos;s folder each need your permission first. You choose how long history is kept, can make calls that leave no trace, export all your data, and delete all of it with one button in Settings &gt; Privacy.&lt;/p&gt;&lt;p&gt;&lt;small&gt;Privacy notice version {version}, {date}.&lt;/small&gt;&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/permissions.py" line="15"/>
        <source>Permissions</source>
        <comment>Allow OctaSIP to use the microphone?</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/permissions.py" line="16"/>
        <source>Permissions</source>
        <comment>The people you call need to hear you. OctaSIP opens the microphone only while a call is connected, never while ringing, on hold or between calls, and shows when it is in use.

If you don&apos;t allow it, calls are receive-only: you hear the other side, they hear silence. You can change this at any time in Settings &gt; Privacy.</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/permissions.py" line="21"/>
        <source>Permissions</source>
        <comment>Allow OctaSIP to use your contacts?</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/permissions.py" line="22"/>
        <source>Permissions</source>
        <comment>OctaSIP can import contacts (vCard or CSV) to show names and suggest numbers. They are stored only on this computer, encrypted, and never sent anywhere.

If you don&apos;t allow it, everything else works; calls show numbers instead of names.</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/permissions.py" line="26"/>
        <source>Permissions</source>
        <comment>Allow OctaSIP to write files outside its own folder?</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/permissions.py" line="27"/>
        <source>Permissions</source>
        <comment>Exports and backups are written where you choose. Those files are NOT encrypted: anyone who can read that folder can read them.

If you don&apos;t allow it, OctaSIP never writes anything outside its encrypted data folder.</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/permissions.py" line="30"/>
        <source>Permissions</source>
        <comment>Allow this?</comment>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AppController</name>
    <message>
        <location filename="../../octasip/ui/controller.py" line="140"/>
        <source>Add an account in Settings before calling (or try the echo test).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/controller.py" line="155"/>
        <source>Echo test</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/controller.py" line="184"/>
        <source>The microphone is not allowed: this call is receive-only. Allow it in Settings &gt; Privacy.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/controller.py" line="252"/>
        <source>Call failed: {code} {reason}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CallView</name>
    <message>
        <location filename="../../octasip/ui/call_view.py" line="35"/>
        <source>Call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/call_view.py" line="59"/>
        <source>&amp;Mute</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/call_view.py" line="59"/>
        <source>&amp;Hold</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/call_view.py" line="60"/>
        <source>&amp;Keypad</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/call_view.py" line="60"/>
        <source>&amp;Transfer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/call_view.py" line="61"/>
        <source>Consult &amp;&amp; transfer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/call_view.py" line="62"/>
        <source>Con&amp;ference</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/call_view.py" line="62"/>
        <source>Hang &amp;up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/call_view.py" line="105"/>
        <source>TLS signalling, </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/call_view.py" line="106"/>
        <source>encrypted media (SRTP {suite})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/call_view.py" line="109"/>
        <source>Media is NOT encrypted: others on the network could listen.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/call_view.py" line="117"/>
        <source>On hold</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/call_view.py" line="119"/>
        <source>Held by the other side</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/call_view.py" line="122"/>
        <source>Good</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/call_view.py" line="122"/>
        <source>Fair</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/call_view.py" line="122"/>
        <source>Poor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/call_view.py" line="123"/>
        <source>Quality: {grade}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/call_view.py" line="124"/>
        <source>Jitter {j} ms, loss {l} %, round trip {r} ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/call_view.py" line="127"/>
        <source>Receive-only: the microphone is not allowed, the other side hears silence. &lt;a href=&apos;settings&apos;&gt;Change in Settings&lt;/a&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/call_view.py" line="140"/>
        <source>Calling…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/call_view.py" line="140"/>
        <source>Incoming call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/call_view.py" line="141"/>
        <source>Ringing…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/call_view.py" line="141"/>
        <source>Connecting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/call_view.py" line="142"/>
        <source>Connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/call_view.py" line="142"/>
        <source>Call ended</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/call_view.py" line="149"/>
        <source>Microphone in use</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/call_view.py" line="149"/>
        <source>Microphone off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/call_view.py" line="153"/>
        <source>Keypad</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/call_view.py" line="153"/>
        <source>Digits to send (0-9, *, #):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/call_view.py" line="158"/>
        <source>Transfer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/call_view.py" line="158"/>
        <source>Transfer this call to:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/call_view.py" line="166"/>
        <source>Consult</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/call_view.py" line="167"/>
        <source>Call whom first? (this call is put on hold)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FirstRunDialog</name>
    <message>
        <location filename="../../octasip/ui/first_run.py" line="37"/>
        <source>Welcome to OctaSIP</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/first_run.py" line="37"/>
        <source>Our privacy notice changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/first_run.py" line="40"/>
        <source>The privacy notice has changed since you last read it. Please read it again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/first_run.py" line="45"/>
        <source>Privacy notice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/first_run.py" line="49"/>
        <source>&amp;Add an account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/first_run.py" line="50"/>
        <source>Try the &amp;echo test</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/first_run.py" line="51"/>
        <source>&amp;Later</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>IncomingCallWindow</name>
    <message>
        <location filename="../../octasip/ui/incoming.py" line="19"/>
        <source>Incoming call from {who}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/incoming.py" line="22"/>
        <source>Call waiting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/incoming.py" line="22"/>
        <source>Incoming call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/incoming.py" line="30"/>
        <source>Answering puts your current call on hold.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/incoming.py" line="33"/>
        <source>&amp;Answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/incoming.py" line="34"/>
        <source>&amp;Decline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/incoming.py" line="35"/>
        <source>&amp;Busy</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../octasip/ui/main_window.py" line="40"/>
        <source>OctaSIP main window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/main_window.py" line="42"/>
        <source>Sections</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/main_window.py" line="45"/>
        <source>&amp;Phone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/main_window.py" line="46"/>
        <source>History</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/main_window.py" line="47"/>
        <location filename="../../octasip/ui/main_window.py" line="243"/>
        <source>&amp;History</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/main_window.py" line="48"/>
        <source>Contacts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/main_window.py" line="49"/>
        <source>C&amp;ontacts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/main_window.py" line="52"/>
        <source>Messages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/main_window.py" line="67"/>
        <source>Account status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/main_window.py" line="71"/>
        <source>Number or SIP address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/main_window.py" line="72"/>
        <source>Number or SIP address to call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/main_window.py" line="87"/>
        <source>Dial pad {key}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/main_window.py" line="94"/>
        <source>&amp;Incognito (no history entry)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/main_window.py" line="95"/>
        <source>Incognito call: leave no history entry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/main_window.py" line="96"/>
        <source>&amp;Call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/main_window.py" line="97"/>
        <source>Call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/main_window.py" line="105"/>
        <source>Calls in progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/main_window.py" line="117"/>
        <source>{title} is not available in this build.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/main_window.py" line="123"/>
        <source>&amp;OctaSIP</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/main_window.py" line="125"/>
        <source>&amp;Settings…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/main_window.py" line="126"/>
        <source>&amp;Echo test</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/main_window.py" line="127"/>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/main_window.py" line="133"/>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/main_window.py" line="137"/>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/main_window.py" line="138"/>
        <source>&amp;About and privacy notice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/main_window.py" line="207"/>
        <source>No account yet: add one in Settings (Ctrl+,), or try the echo test from the OctaSIP menu.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/main_window.py" line="243"/>
        <source>&amp;History ({n})</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PermissionDialog</name>
    <message>
        <location filename="../../octasip/ui/permissions.py" line="44"/>
        <source>Why OctaSIP asks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/permissions.py" line="48"/>
        <location filename="../../octasip/ui/permissions.py" line="50"/>
        <source>Allow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/permissions.py" line="49"/>
        <location filename="../../octasip/ui/permissions.py" line="51"/>
        <source>Don&apos;t allow</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Tray</name>
    <message>
        <location filename="../../octasip/ui/tray.py" line="15"/>
        <source>Show OctaSIP</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/tray.py" line="15"/>
        <source>Echo test</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/tray.py" line="16"/>
        <source>Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/tray.py" line="30"/>
        <source>no account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/tray.py" line="32"/>
        <source>registered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/tray.py" line="34"/>
        <source>{n} of {m} accounts registered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/tray.py" line="36"/>
        <source>OctaSIP: {status}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/tray.py" line="41"/>
        <source>Incoming call</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>dialog</name>
    <message>
        <location filename="../../octasip/app.py" line="147"/>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>self.window</name>
    <message>
        <location filename="../../octasip/app.py" line="62"/>
        <source>The SIP engine could not start: {msg}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/app.py" line="155"/>
        <source>Settings are not available in this build.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>window</name>
    <message>
        <location filename="../../octasip/ui/recovery_dialog.py" line="13"/>
        <source>OctaSIP cannot open your data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/recovery_dialog.py" line="14"/>
        <source>OctaSIP cannot open its encrypted database.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/recovery_dialog.py" line="18"/>
        <source>Keep the file aside and start fresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/recovery_dialog.py" line="20"/>
        <source>Delete it and start fresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/recovery_dialog.py" line="21"/>
        <source>Try again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/recovery_dialog.py" line="22"/>
        <source>Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/recovery_dialog.py" line="32"/>
        <source>Delete your data?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/recovery_dialog.py" line="33"/>
        <source>This deletes the database file and its key: its history, contacts and settings are lost for good. Continue?</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
