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
    <name>AboutPage</name>
    <message>
        <location filename="../../octasip/ui/settings_about.py" line="27"/>
        <source>About OctaSIP</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_about.py" line="29"/>
        <source>OctaSIP Desktop, and the libraries it is built on:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_about.py" line="31"/>
        <source>Versions: …</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_about.py" line="33"/>
        <source>Versions</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AccountEditor</name>
    <message>
        <location filename="../../octasip/ui/account_editor.py" line="31"/>
        <source>Edit account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/account_editor.py" line="31"/>
        <source>Add account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/account_editor.py" line="37"/>
        <source>default: the address&apos;s domain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/account_editor.py" line="39"/>
        <source>default: the address&apos;s user</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/account_editor.py" line="42"/>
        <source>leave empty to keep the stored password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/account_editor.py" line="43"/>
        <source>kept only in your system keyring</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/account_editor.py" line="52"/>
        <source>default: the system&apos;s CA store</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/account_editor.py" line="53"/>
        <source>Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/account_editor.py" line="54"/>
        <source>Choose a CA file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/account_editor.py" line="60"/>
        <source>Default (mandatory on TLS)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/account_editor.py" line="66"/>
        <source>Accept calls that do not come from the registrar or proxy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/account_editor.py" line="67"/>
        <source>Enabled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/account_editor.py" line="76"/>
        <source>SIP address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/account_editor.py" line="76"/>
        <source>Display name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/account_editor.py" line="77"/>
        <source>Registrar</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/account_editor.py" line="77"/>
        <source>Auth user name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/account_editor.py" line="78"/>
        <source>Password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/account_editor.py" line="78"/>
        <source>Transport</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/account_editor.py" line="79"/>
        <source>Outbound proxy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/account_editor.py" line="79"/>
        <source>Registration expiry (s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/account_editor.py" line="80"/>
        <location filename="../../octasip/ui/account_editor.py" line="86"/>
        <source>TLS CA file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/account_editor.py" line="80"/>
        <source>Media encryption (SRTP)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/account_editor.py" line="81"/>
        <source>DTMF</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/account_editor.py" line="87"/>
        <source>Problem with the account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/account_editor.py" line="92"/>
        <source>•••• stored in keyring (leave empty to keep it)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/account_editor.py" line="93"/>
        <source>no password stored (type one to store it in the keyring)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/account_editor.py" line="96"/>
        <source>CA certificates</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AccountsPage</name>
    <message>
        <location filename="../../octasip/ui/settings_accounts.py" line="30"/>
        <source>Accounts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_accounts.py" line="33"/>
        <source>&amp;Add…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_accounts.py" line="34"/>
        <source>&amp;Edit…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_accounts.py" line="35"/>
        <source>&amp;Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_accounts.py" line="36"/>
        <source>&amp;Test registration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_accounts.py" line="45"/>
        <source>Account status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_accounts.py" line="57"/>
        <source>registering</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_accounts.py" line="57"/>
        <source>registered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_accounts.py" line="58"/>
        <source>failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_accounts.py" line="58"/>
        <source>retrying</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_accounts.py" line="59"/>
        <source>not registered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_accounts.py" line="59"/>
        <source>disabled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_accounts.py" line="83"/>
        <source>Registering… transport problem: {why}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_accounts.py" line="89"/>
        <source>Registration works: {code} {reason} (renewed every {expires} s).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_accounts.py" line="94"/>
        <source>Registration failed: {why}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_accounts.py" line="94"/>
        <source>no reason given</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_accounts.py" line="141"/>
        <source>Saved. Its password is in your system keyring only.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_accounts.py" line="142"/>
        <source>Saved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_accounts.py" line="148"/>
        <source>Not saved: {why}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_accounts.py" line="154"/>
        <source>Remove account?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_accounts.py" line="155"/>
        <source>Remove this account and its password from the keyring? Its call history stays.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_accounts.py" line="168"/>
        <source>Removed, with its password.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_accounts.py" line="170"/>
        <source>Not removed: {why}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_accounts.py" line="178"/>
        <source>This account is disabled: enable it (Edit…) to register.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_accounts.py" line="180"/>
        <source>Registering…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_accounts.py" line="187"/>
        <source>No answer from the registrar within {s} s.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AppController</name>
    <message>
        <location filename="../../octasip/ui/controller.py" line="145"/>
        <source>Add an account in Settings before calling (or try the echo test).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/controller.py" line="160"/>
        <source>Echo test</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/controller.py" line="189"/>
        <source>The microphone is not allowed: this call is receive-only. Allow it in Settings &gt; Privacy.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/controller.py" line="260"/>
        <source>Call failed: {code} {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/controller.py" line="280"/>
        <source>Call recording is off. Turn it on in Settings &gt; Privacy.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/controller.py" line="350"/>
        <source>Recording stopped: {why}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AudioPage</name>
    <message>
        <location filename="../../octasip/ui/settings_audio.py" line="45"/>
        <source>Microphone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_audio.py" line="45"/>
        <source>Speaker or headset</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_audio.py" line="46"/>
        <source>Ringtone on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_audio.py" line="49"/>
        <source>System default</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_audio.py" line="58"/>
        <source>Input level</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_audio.py" line="59"/>
        <source>Microphone level</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_audio.py" line="60"/>
        <location filename="../../octasip/ui/settings_audio.py" line="198"/>
        <source>Start the &amp;microphone level meter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_audio.py" line="61"/>
        <source>Start or stop the microphone level meter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_audio.py" line="63"/>
        <source>&amp;Echo test call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_audio.py" line="64"/>
        <source>Echo test call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_audio.py" line="68"/>
        <source>Audio status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_audio.py" line="112"/>
        <source>{id} (not connected)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_audio.py" line="135"/>
        <source>Switched. Calls in progress use the new devices now.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_audio.py" line="146"/>
        <source>The microphone is not allowed (Settings &gt; Privacy).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_audio.py" line="158"/>
        <source>The level meter waits until the call ends: the call uses the microphone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_audio.py" line="163"/>
        <source>Stop the &amp;microphone level meter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_audio.py" line="164"/>
        <source>The microphone is open for the level meter (it stops when you leave this page, or after {s} s).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_audio.py" line="182"/>
        <source>The level meter could not open the microphone ({kind}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_audio.py" line="199"/>
        <source>The microphone is open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_audio.py" line="200"/>
        <source>The level meter stopped; the microphone is closed.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CallView</name>
    <message>
        <location filename="../../octasip/ui/call_view.py" line="31"/>
        <source>Call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/call_view.py" line="51"/>
        <source>Recording indicator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/call_view.py" line="69"/>
        <source>&amp;Mute</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/call_view.py" line="69"/>
        <source>&amp;Hold</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/call_view.py" line="70"/>
        <source>&amp;Keypad</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/call_view.py" line="70"/>
        <source>&amp;Transfer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/call_view.py" line="71"/>
        <source>Consult &amp;&amp; transfer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/call_view.py" line="72"/>
        <source>Con&amp;ference</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/call_view.py" line="72"/>
        <location filename="../../octasip/ui/call_view.py" line="173"/>
        <source>&amp;Record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/call_view.py" line="73"/>
        <source>Hang &amp;up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/call_view.py" line="118"/>
        <source>TLS signalling, </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/call_view.py" line="119"/>
        <source>encrypted media (SRTP {suite})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/call_view.py" line="123"/>
        <source>Media is NOT encrypted: others on the network could listen.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/call_view.py" line="132"/>
        <source>On hold</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/call_view.py" line="134"/>
        <source>Held by the other side</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/call_view.py" line="137"/>
        <source>Good</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/call_view.py" line="137"/>
        <source>Fair</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/call_view.py" line="137"/>
        <source>Poor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/call_view.py" line="138"/>
        <source>Quality: {grade}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/call_view.py" line="139"/>
        <source>Jitter {j} ms, loss {l} %, round trip {r} ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/call_view.py" line="142"/>
        <source>Receive-only: the microphone is not allowed, the other side hears silence. &lt;a href=&apos;settings&apos;&gt;Change in Settings&lt;/a&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/call_view.py" line="161"/>
        <source>Call recording is off. Turn it on in Settings &gt; Privacy (you will be told about the consent the law may require first).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/call_view.py" line="164"/>
        <source>A call can be recorded once it is answered.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/call_view.py" line="166"/>
        <source>Stop recording</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/call_view.py" line="167"/>
        <source>Record this call (encrypted; the other side hears a short tone)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/call_view.py" line="173"/>
        <source>Stop &amp;recording</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/call_view.py" line="184"/>
        <source>Calling…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/call_view.py" line="184"/>
        <source>Incoming call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/call_view.py" line="185"/>
        <source>Ringing…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/call_view.py" line="185"/>
        <source>Connecting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/call_view.py" line="186"/>
        <source>Connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/call_view.py" line="186"/>
        <source>Call ended</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/call_view.py" line="194"/>
        <source>● Recording {t}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/call_view.py" line="197"/>
        <source>Microphone in use</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/call_view.py" line="197"/>
        <source>Microphone off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/call_view.py" line="202"/>
        <source>Keypad</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/call_view.py" line="202"/>
        <source>Digits to send (0-9, *, #):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/call_view.py" line="207"/>
        <source>Transfer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/call_view.py" line="207"/>
        <source>Transfer this call to:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/call_view.py" line="215"/>
        <source>Consult</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/call_view.py" line="216"/>
        <source>Call whom first? (this call is put on hold)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ConsentNoticeDialog</name>
    <message>
        <location filename="../../octasip/ui/recording_settings.py" line="34"/>
        <source>Before you record calls</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/recording_settings.py" line="38"/>
        <source>Recording consent notice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/recording_settings.py" line="40"/>
        <source>I have read this. I will make sure the people I record have agreed where the law requires it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/recording_settings.py" line="42"/>
        <source>I accept the recording consent notice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/recording_settings.py" line="45"/>
        <source>Turn recording &amp;on</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ContactEditor</name>
    <message>
        <location filename="../../octasip/ui/contacts_view.py" line="39"/>
        <source>Edit contact</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/contacts_view.py" line="39"/>
        <source>Add contact</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/contacts_view.py" line="46"/>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/contacts_view.py" line="46"/>
        <source>Phone numbers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/contacts_view.py" line="47"/>
        <source>SIP addresses</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/contacts_view.py" line="47"/>
        <source>E-mail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/contacts_view.py" line="48"/>
        <source>Organization</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/contacts_view.py" line="51"/>
        <source>Problem with the contact</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/contacts_view.py" line="58"/>
        <source>A contact needs a name.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ContactsView</name>
    <message>
        <location filename="../../octasip/ui/contacts_view.py" line="75"/>
        <source>Contacts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/contacts_view.py" line="79"/>
        <source>Contacts stay on this computer, encrypted. OctaSIP asks before it reads or imports any.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/contacts_view.py" line="82"/>
        <source>&amp;Use contacts…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/contacts_view.py" line="83"/>
        <source>Use contacts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/contacts_view.py" line="93"/>
        <source>Search name or number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/contacts_view.py" line="94"/>
        <source>Search contacts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/contacts_view.py" line="98"/>
        <source>Contacts, favourites first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/contacts_view.py" line="103"/>
        <source>&amp;Call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/contacts_view.py" line="103"/>
        <source>&amp;Add…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/contacts_view.py" line="104"/>
        <source>&amp;Edit…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/contacts_view.py" line="104"/>
        <source>&amp;Delete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/contacts_view.py" line="105"/>
        <source>&amp;Favourite</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/contacts_view.py" line="106"/>
        <source>&amp;Import…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/contacts_view.py" line="107"/>
        <source>E&amp;xport…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/contacts_view.py" line="116"/>
        <source>Contacts status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/contacts_view.py" line="156"/>
        <source>No contacts yet: add one, or import a vCard or CSV file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/contacts_view.py" line="170"/>
        <source>{name} has no number or SIP address.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/contacts_view.py" line="174"/>
        <source>Call {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/contacts_view.py" line="174"/>
        <source>Call:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/contacts_view.py" line="198"/>
        <source>Delete contact?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/contacts_view.py" line="198"/>
        <source>Delete {name}?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/contacts_view.py" line="211"/>
        <source>Importing needs the contacts permission.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/contacts_view.py" line="214"/>
        <source>Import contacts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/contacts_view.py" line="215"/>
        <source>Contacts (*.vcf *.vcard *.csv)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/contacts_view.py" line="227"/>
        <source>Imported: {summary}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/contacts_view.py" line="234"/>
        <source>Nothing was exported: writing outside OctaSIP&apos;s folder is not allowed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/contacts_view.py" line="237"/>
        <source>Export contacts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/contacts_view.py" line="253"/>
        <source>Exported {n} contacts. The file is NOT encrypted.</source>
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
    <name>GeneralPage</name>
    <message>
        <location filename="../../octasip/ui/settings_dialog.py" line="16"/>
        <source>Closing the window keeps OctaSIP running in the system tray (to take calls); otherwise closing quits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_dialog.py" line="18"/>
        <source>Close to the system tray</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>HistoryModel</name>
    <message>
        <location filename="../../octasip/ui/history_model.py" line="278"/>
        <source>Direction</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/history_model.py" line="278"/>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/history_model.py" line="278"/>
        <source>Number or address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/history_model.py" line="278"/>
        <source>When</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/history_model.py" line="279"/>
        <source>Duration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/history_model.py" line="279"/>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/history_model.py" line="279"/>
        <source>Security</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/history_model.py" line="279"/>
        <source>Recording</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/history_model.py" line="315"/>
        <source>The media of this call was not encrypted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/history_model.py" line="343"/>
        <source>Missed call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/history_model.py" line="344"/>
        <source>Incoming call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/history_model.py" line="344"/>
        <source>Outgoing call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/history_model.py" line="355"/>
        <source>Yesterday</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/history_model.py" line="363"/>
        <source>Not encrypted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/history_model.py" line="370"/>
        <source>Answered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/history_model.py" line="370"/>
        <source>Missed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/history_model.py" line="371"/>
        <source>Declined</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/history_model.py" line="371"/>
        <source>Failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/history_model.py" line="372"/>
        <source>Cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/history_model.py" line="372"/>
        <source>Interrupted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/history_model.py" line="373"/>
        <source>In progress</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>HistoryView</name>
    <message>
        <location filename="../../octasip/ui/history_view.py" line="34"/>
        <source>Call history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/history_view.py" line="39"/>
        <source>Sho&amp;w:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/history_view.py" line="41"/>
        <source>Show calls</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/history_view.py" line="43"/>
        <source>All calls</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/history_view.py" line="43"/>
        <source>Missed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/history_view.py" line="44"/>
        <source>Incoming</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/history_view.py" line="45"/>
        <source>Outgoing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/history_view.py" line="48"/>
        <source>Search name or number (Ctrl+F)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/history_view.py" line="49"/>
        <source>Search the history by name or number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/history_view.py" line="57"/>
        <source>Calls, newest first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/history_view.py" line="87"/>
        <source>History status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/history_view.py" line="91"/>
        <source>History message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/history_view.py" line="97"/>
        <source>Call &amp;back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/history_view.py" line="98"/>
        <source>Co&amp;py number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/history_view.py" line="99"/>
        <source>&amp;Delete entry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/history_view.py" line="100"/>
        <source>C&amp;lear all…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/history_view.py" line="102"/>
        <location filename="../../octasip/ui/history_view.py" line="228"/>
        <source>Call back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/history_view.py" line="103"/>
        <location filename="../../octasip/ui/history_view.py" line="229"/>
        <source>Copy number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/history_view.py" line="104"/>
        <location filename="../../octasip/ui/history_view.py" line="230"/>
        <source>Delete entry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/history_view.py" line="105"/>
        <source>Clear all history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/history_view.py" line="153"/>
        <source>Something went wrong with the history: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/history_view.py" line="170"/>
        <source>Loading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/history_view.py" line="172"/>
        <source>No calls match “{term}”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/history_view.py" line="174"/>
        <source>No missed calls.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/history_view.py" line="175"/>
        <source>No incoming calls.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/history_view.py" line="176"/>
        <source>No outgoing calls.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/history_view.py" line="178"/>
        <source>No calls yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/history_view.py" line="227"/>
        <source>History entry actions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/history_view.py" line="231"/>
        <source>Clear all history…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/history_view.py" line="259"/>
        <source>Clear the call history?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/history_view.py" line="260"/>
        <source>Delete every call from the history? This cannot be undone.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>IncomingCallWindow</name>
    <message>
        <location filename="../../octasip/ui/incoming.py" line="21"/>
        <source>Incoming call from {who}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/incoming.py" line="24"/>
        <source>Call waiting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/incoming.py" line="24"/>
        <source>Incoming call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/incoming.py" line="32"/>
        <source>Answering puts your current call on hold.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/incoming.py" line="35"/>
        <source>&amp;Answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/incoming.py" line="36"/>
        <source>&amp;Decline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/incoming.py" line="37"/>
        <source>&amp;Busy</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../octasip/ui/main_window.py" line="44"/>
        <source>OctaSIP main window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/main_window.py" line="46"/>
        <source>Sections</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/main_window.py" line="49"/>
        <source>&amp;Phone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/main_window.py" line="58"/>
        <location filename="../../octasip/ui/main_window.py" line="296"/>
        <source>&amp;History</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/main_window.py" line="59"/>
        <source>C&amp;ontacts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/main_window.py" line="60"/>
        <source>Recordin&amp;gs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/main_window.py" line="64"/>
        <source>Messages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/main_window.py" line="79"/>
        <source>Account status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/main_window.py" line="83"/>
        <source>Number or SIP address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/main_window.py" line="84"/>
        <source>Number or SIP address to call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/main_window.py" line="102"/>
        <source>Dial pad {key}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/main_window.py" line="109"/>
        <source>&amp;Incognito (no history entry)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/main_window.py" line="110"/>
        <source>Incognito call: leave no history entry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/main_window.py" line="111"/>
        <source>&amp;Call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/main_window.py" line="112"/>
        <source>Call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/main_window.py" line="121"/>
        <source>&amp;New call…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/main_window.py" line="122"/>
        <source>Show the dial pad for another call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/main_window.py" line="128"/>
        <source>Calls in progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/main_window.py" line="163"/>
        <source>&amp;OctaSIP</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/main_window.py" line="165"/>
        <source>&amp;Settings…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/main_window.py" line="166"/>
        <source>&amp;Echo test</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/main_window.py" line="167"/>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/main_window.py" line="173"/>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/main_window.py" line="177"/>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/main_window.py" line="178"/>
        <source>&amp;About and privacy notice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/main_window.py" line="249"/>
        <source>No account yet: add one in Settings (Ctrl+,), or try the echo test from the OctaSIP menu.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/main_window.py" line="296"/>
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
    <name>PrivacyPage</name>
    <message>
        <location filename="../../octasip/ui/settings_privacy.py" line="46"/>
        <source>Permissions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_privacy.py" line="50"/>
        <location filename="../../octasip/ui/settings_privacy.py" line="131"/>
        <source>Microphone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_privacy.py" line="50"/>
        <location filename="../../octasip/ui/settings_privacy.py" line="131"/>
        <source>Contacts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_privacy.py" line="51"/>
        <source>Files outside OctaSIP&apos;s folder (exports)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_privacy.py" line="54"/>
        <source>{name} permission</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_privacy.py" line="61"/>
        <source>Call history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_privacy.py" line="64"/>
        <source>Keep call history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_privacy.py" line="67"/>
        <source>Keep call history:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_privacy.py" line="74"/>
        <source>Write redacted SIP logs (for diagnosing problems)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_privacy.py" line="78"/>
        <source>Consent ledger</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_privacy.py" line="79"/>
        <source>When</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_privacy.py" line="79"/>
        <source>Permission</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_privacy.py" line="79"/>
        <source>Decision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_privacy.py" line="80"/>
        <source>Where</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_privacy.py" line="83"/>
        <source>Consent ledger (every decision, with its time):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_privacy.py" line="86"/>
        <source>E&amp;xport my data…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_privacy.py" line="87"/>
        <source>&amp;Delete all local data…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_privacy.py" line="95"/>
        <source>Privacy status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_privacy.py" line="131"/>
        <source>Files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_privacy.py" line="132"/>
        <source>Call recording</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_privacy.py" line="133"/>
        <source>Privacy notice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_privacy.py" line="137"/>
        <source>granted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_privacy.py" line="137"/>
        <source>refused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_privacy.py" line="143"/>
        <source>Allowed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_privacy.py" line="143"/>
        <source>Not allowed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_privacy.py" line="143"/>
        <source>Not asked yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_privacy.py" line="146"/>
        <source>Revoke</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_privacy.py" line="146"/>
        <source>Allow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_privacy.py" line="171"/>
        <source>Delete old calls?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_privacy.py" line="172"/>
        <source>Keeping history for &quot;{label}&quot; deletes {n} calls now. Continue?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_privacy.py" line="185"/>
        <source>{n} calls deleted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_privacy.py" line="199"/>
        <source>SIP logs are on: {dir}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_privacy.py" line="200"/>
        <source>SIP logs are off, and the old ones were deleted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_privacy.py" line="207"/>
        <source>Nothing was exported: writing outside OctaSIP&apos;s folder is not allowed (allow it above).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_privacy.py" line="211"/>
        <source>One JSON file (*.json)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_privacy.py" line="211"/>
        <source>CSV files in a new folder (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_privacy.py" line="212"/>
        <source>Export my data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_privacy.py" line="232"/>
        <source>Exported {counts} to {path}. The export is NOT encrypted: keep it safe, and delete it when you no longer need it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_privacy.py" line="237"/>
        <source>Nothing was exported: {why}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_privacy.py" line="244"/>
        <source>Deleting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_privacy.py" line="264"/>
        <source>Deleted: {part}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_privacy.py" line="265"/>
        <source>NOT deleted: {part}: {why}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_privacy.py" line="268"/>
        <source>All local data was deleted ({parts}). OctaSIP starts afresh.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_privacy.py" line="272"/>
        <source>Some data could NOT be deleted:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_privacy.py" line="273"/>
        <source>Some local data could not be deleted: see Settings &gt; Privacy.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_privacy.py" line="280"/>
        <source>Nothing could be confirmed as deleted: {why}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RecordingSettings</name>
    <message>
        <location filename="../../octasip/ui/recording_settings.py" line="56"/>
        <source>Call recording</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/recording_settings.py" line="64"/>
        <source>Allow call recording</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/recording_settings.py" line="65"/>
        <source>Always record every call from its answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/recording_settings.py" line="66"/>
        <source>Play a tone into the call when recording starts (the other side hears it)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/recording_settings.py" line="72"/>
        <source>When</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/recording_settings.py" line="72"/>
        <source>What</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/recording_settings.py" line="72"/>
        <source>Recording</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/recording_settings.py" line="72"/>
        <source>Where</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/recording_settings.py" line="83"/>
        <source>Keep recordings:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/recording_settings.py" line="85"/>
        <source>Access log (every play, export and deletion):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/recording_settings.py" line="107"/>
        <source>Available once call recording is allowed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/recording_settings.py" line="112"/>
        <source>played</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/recording_settings.py" line="112"/>
        <source>exported</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/recording_settings.py" line="112"/>
        <source>deleted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/recording_settings.py" line="113"/>
        <source>deleted (retention)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/recording_settings.py" line="134"/>
        <source>Record without telling?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/recording_settings.py" line="135"/>
        <source>Without the tone, the other side is not told that the call is recorded. Where everyone on a call must agree, you must then ask them yourself, every time. Turn the tone off?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/recording_settings.py" line="159"/>
        <source>Delete old recordings?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/recording_settings.py" line="160"/>
        <source>Keeping recordings for &quot;{label}&quot; deletes {n} recordings now. Continue?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/recording_settings.py" line="183"/>
        <source>{n} recordings older than that were deleted.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RecordingsView</name>
    <message>
        <location filename="../../octasip/ui/recordings_view.py" line="184"/>
        <source>Recordings status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/recordings_view.py" line="187"/>
        <source>Recordings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/recordings_view.py" line="188"/>
        <source>When</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/recordings_view.py" line="188"/>
        <source>With</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/recordings_view.py" line="188"/>
        <source>Length</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/recordings_view.py" line="188"/>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/recordings_view.py" line="197"/>
        <location filename="../../octasip/ui/recordings_view.py" line="222"/>
        <location filename="../../octasip/ui/recordings_view.py" line="276"/>
        <location filename="../../octasip/ui/recordings_view.py" line="353"/>
        <source>&amp;Play</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/recordings_view.py" line="199"/>
        <source>Playback position</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/recordings_view.py" line="202"/>
        <source>Playback time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/recordings_view.py" line="208"/>
        <source>E&amp;xport…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/recordings_view.py" line="209"/>
        <source>&amp;Check</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/recordings_view.py" line="210"/>
        <source>&amp;Delete…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/recordings_view.py" line="235"/>
        <source>complete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/recordings_view.py" line="235"/>
        <source>cut short</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/recordings_view.py" line="235"/>
        <source>failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/recordings_view.py" line="236"/>
        <source>recording…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/recordings_view.py" line="239"/>
        <source>(not in the history)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/recordings_view.py" line="251"/>
        <source>No recordings.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/recordings_view.py" line="252"/>
        <source>Press Record during a call to record it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/recordings_view.py" line="253"/>
        <source>Call recording is off; it can be turned on in Settings &gt; Privacy.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/recordings_view.py" line="285"/>
        <location filename="../../octasip/ui/recordings_view.py" line="295"/>
        <source>&amp;Pause</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/recordings_view.py" line="293"/>
        <source>This recording is {state}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/recordings_view.py" line="303"/>
        <source>Export recording</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/recordings_view.py" line="304"/>
        <source>WAV audio (*.wav);;Opus audio in OGG (*.ogg)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/recordings_view.py" line="312"/>
        <source>Exporting needs the permission to write files outside OctaSIP (Settings &gt; Privacy).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/recordings_view.py" line="325"/>
        <source>Recording exported to {path}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/recordings_view.py" line="333"/>
        <source>Recording check: {result}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/recordings_view.py" line="337"/>
        <source>Delete recording?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/recordings_view.py" line="338"/>
        <source>Delete this recording for good? This cannot be undone.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../octasip/ui/settings_dialog.py" line="39"/>
        <source>OctaSIP settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_dialog.py" line="42"/>
        <source>Settings pages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_dialog.py" line="45"/>
        <source>&amp;Accounts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_dialog.py" line="45"/>
        <source>A&amp;udio</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_dialog.py" line="45"/>
        <source>&amp;Privacy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_dialog.py" line="46"/>
        <source>&amp;General</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_dialog.py" line="46"/>
        <source>A&amp;bout</source>
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
    <name>WipeConfirm</name>
    <message>
        <location filename="../../octasip/ui/settings_privacy.py" line="289"/>
        <source>Delete all local data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_privacy.py" line="291"/>
        <source>This deletes your call history, contacts, settings, accounts, logs and recordings from this computer, and OctaSIP&apos;s passwords and keys from the keyring. It cannot be undone.

Type {word} to confirm:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_privacy.py" line="296"/>
        <source>Type {word} to confirm</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../octasip/ui/settings_privacy.py" line="298"/>
        <location filename="../../octasip/ui/settings_privacy.py" line="300"/>
        <source>Delete everything</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>dialog</name>
    <message>
        <location filename="../../octasip/app.py" line="184"/>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>self.self</name>
    <message>
        <location filename="../../octasip/ui/settings_about.py" line="28"/>
        <source>Licences</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>self.window</name>
    <message>
        <location filename="../../octasip/app.py" line="66"/>
        <source>The SIP engine could not start: {msg}</source>
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
