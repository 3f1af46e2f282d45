Attribute VB_Name = "ThiduaRibbon"
Option Explicit

' Ribbon callbacks of the "Thi dua" tab (labels live in customUI.xml).
' Each button runs one Python function of addin.macros on the active workbook, once CanRun
' has found one: with no workbook open, or the active one in Protected View, RunPython would
' stop on run-time error 91 with a Debug button.
'
' VBA source is cp1252, so Vietnamese texts are written here as %NAME% in quotes: build.py puts
' the catalogue's text in their place with \uXXXX escapes, which Unescaped decodes, and
' MessageBoxW shows them (MsgBox would show "?" for most Vietnamese letters).

#If VBA7 Then
Private Declare PtrSafe Function MessageBoxW Lib "user32" (ByVal hWnd As LongPtr, _
    ByVal lpText As LongPtr, ByVal lpCaption As LongPtr, ByVal uType As Long) As Long
#Else
Private Declare Function MessageBoxW Lib "user32" (ByVal hWnd As Long, _
    ByVal lpText As Long, ByVal lpCaption As Long, ByVal uType As Long) As Long
#End If

Private Const NO_BOOK_TEXT As String = "%ADDIN_NO_BOOK%"
Private Const TITLE_TEXT As String = "%ALERT_TITLE%"

Sub TemplatesButton(control As IRibbonControl)
    If Not CanRun() Then Exit Sub
    RunPython "import addin.macros; addin.macros.templates_button()"
End Sub

Sub ConsolidateButton(control As IRibbonControl)
    If Not CanRun() Then Exit Sub
    RunPython "import addin.macros; addin.macros.consolidate_button()"
End Sub

Sub DocumentsButton(control As IRibbonControl)
    If Not CanRun() Then Exit Sub
    RunPython "import addin.macros; addin.macros.documents_button()"
End Sub

Sub PledgesButton(control As IRibbonControl)
    If Not CanRun() Then Exit Sub
    RunPython "import addin.macros; addin.macros.pledges_button()"
End Sub

Sub OpenFolderButton(control As IRibbonControl)
    If Not CanRun() Then Exit Sub
    RunPython "import addin.macros; addin.macros.open_folder_button()"
End Sub

Sub SendTemplatesButton(control As IRibbonControl)
    If Not CanRun() Then Exit Sub
    RunPython "import addin.macros; addin.macros.send_templates_button()"
End Sub

Sub FetchReturnsButton(control As IRibbonControl)
    If Not CanRun() Then Exit Sub
    RunPython "import addin.macros; addin.macros.fetch_returns_button()"
End Sub

Sub SendRepliesButton(control As IRibbonControl)
    If Not CanRun() Then Exit Sub
    RunPython "import addin.macros; addin.macros.send_replies_button()"
End Sub

' issue 16: every level of the union
Sub FromUpperButton(control As IRibbonControl)
    If Not CanRun() Then Exit Sub
    RunPython "import addin.macros; addin.macros.from_upper_button()"
End Sub

Sub ReportUpButton(control As IRibbonControl)
    If Not CanRun() Then Exit Sub
    RunPython "import addin.macros; addin.macros.report_up_button()"
End Sub

Private Function CanRun() As Boolean
    ' A workbook Python can work on is active: not none, not one in Protected View (such a
    ' window is not in Workbooks; ActiveWorkbook is then Nothing, or another workbook).
    Dim protectedView As Object
    On Error Resume Next
    Set protectedView = Application.ActiveProtectedViewWindow
    On Error GoTo 0
    If ActiveWorkbook Is Nothing Or Not protectedView Is Nothing Then
        Tell Unescaped(NO_BOOK_TEXT)
        CanRun = False
    Else
        CanRun = True
    End If
End Function

Private Sub Tell(message As String)
    #If Mac Then
        MsgBox message, vbExclamation, Unescaped(TITLE_TEXT)
    #Else
        Dim title As String
        title = Unescaped(TITLE_TEXT)
        MessageBoxW Application.hWnd, StrPtr(message), StrPtr(title), vbExclamation
    #End If
End Sub

Private Function Unescaped(ByVal escaped As String) As String
    ' "\u0111" becomes the character U+0111; everything else is kept.
    Dim i As Long, decoded As String
    i = 1
    Do While i <= Len(escaped)
        If Mid$(escaped, i, 2) = "\u" Then
            decoded = decoded & ChrW$(CLng("&H" & Mid$(escaped, i + 2, 4)))
            i = i + 6
        Else
            decoded = decoded & Mid$(escaped, i, 1)
            i = i + 1
        End If
    Loop
    Unescaped = decoded
End Function
